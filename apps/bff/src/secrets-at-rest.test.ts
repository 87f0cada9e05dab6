import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, DEMO_BREVO_KEY, useTestBff } from './test-support.ts';

const db = useTestDatabase('bff_secrets');
const bff = useTestBff(db);
const ADMIN_SET_KEY = 'xkeysib-admin-set-0123456789abcdef';

/** Every credential the run handles in plaintext somewhere. */
const secrets = new Set<string>();
const responses: string[] = [];

beforeAll(async () => {
  const tokens = bff.salesforce.state.tokens;
  const record = <A extends unknown[], R>(fn: (...args: A) => R, pick: (result: R) => string) => (...args: A) => {
    const result = fn(...args);
    secrets.add(pick(result));
    return result;
  };
  tokens.issueAccess = record(tokens.issueAccess.bind(tokens), (r) => r.token);
  tokens.issueRefresh = record(tokens.issueRefresh.bind(tokens), (r) => r.token);
  tokens.issueCode = record(tokens.issueCode.bind(tokens), (code) => code);
  secrets.add(DEMO_BREVO_KEY).add(ADMIN_SET_KEY).add(bff.config.ADMIN_SECRET);

  // A full run: admin sets a key, a user connects Salesforce (twice), maps, lists, activates; a token refresh.
  const keep = (response: request.Response) => {
    responses.push(JSON.stringify(response.headers) + response.text);
    return response;
  };
  const admin = keep(
    await request(bff.app).put('/admin/v1/accounts/acc_admin/brevo').set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: ADMIN_SET_KEY, notificationEmail: 'ops@acme.test' }),
  );
  expect(admin.status).toBe(200);
  const token = await bff.token();
  secrets.add(token);
  const created = keep(await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'Secrets' }));
  const id = created.body.id as string;
  for (let i = 0; i < 2; i += 1) {
    // The callback page carries the code and state of its own address to the opener, by design; the completion is the API's answer.
    const { completion, authorizeUrl } = await connectSalesforce(bff, token, id);
    responses.push(completion.text);
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    secrets.add(state);
  }
  keep(await request(bff.app).put(`/api/v1/integrations/${id}/consent`).set(bearer(token)).send({ optIn: true }));
  await fetch(`${bff.salesforce.url}/__sandbox/tokens/expire`, { method: 'POST' });
  keep(await request(bff.app).get(`/api/v1/integrations/${id}/mapping/options`).set(bearer(token)));
  keep(await request(bff.app).put(`/api/v1/integrations/${id}/mapping`).set(bearer(token)).send({ mapping: { EMAIL: 'Email' } }));
  const list = keep(await request(bff.app).post('/api/v1/brevo/lists').set(bearer(token)).send({ name: 'Secrets list' }));
  keep(await request(bff.app).put(`/api/v1/integrations/${id}/list`).set(bearer(token)).send({ listId: list.body.id }));
  const activated = keep(await request(bff.app).post(`/api/v1/integrations/${id}/activate`).set(bearer(token)));
  expect(activated.body.status).toBe('active');
  keep(await request(bff.app).get('/api/v1/integrations').set(bearer(token)));
  // Failures too: a forged token, a bad admin secret, a replayed state.
  keep(await request(bff.app).get('/api/v1/integrations').set(bearer(`${token}x`)));
  keep(await request(bff.app).put('/admin/v1/accounts/acc_admin/brevo').set(bearer('wrong-admin-secret-wrong-admin-secret')).send({ apiKey: ADMIN_SET_KEY }));
  expect(secrets.size).toBeGreaterThan(8);
});

function leaks(haystack: string): string[] {
  return [...secrets].filter((secret) => haystack.includes(secret));
}

describe('secrets never in plaintext', () => {
  it('in the database: every collection, raw', async () => {
    const collections = await db.connection.db!.listCollections().toArray();
    expect(collections.map((c) => c.name)).toEqual(expect.arrayContaining(['accounts', 'integrations']));
    let dump = '';
    for (const { name } of collections) dump += JSON.stringify(await db.connection.db!.collection(name).find({}).toArray());
    expect(dump).toContain('"kid":"t1"');
    expect(leaks(dump)).toEqual([]);
  });

  it('in the logs', () => {
    const logs = bff.logs.join('');
    expect(logs).toContain('/api/v1/oauth/salesforce/callback');
    expect(leaks(logs)).toEqual([]);
  });

  it('in API responses and error messages', () => {
    expect(responses.length).toBeGreaterThan(10);
    expect(leaks(responses.join('\n'))).toEqual([]);
  });
});
