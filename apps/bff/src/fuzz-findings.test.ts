import { adminAccountResponseSchema } from '@contact-sync/api';
import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, useTestBff } from './test-support.ts';

/**
 * Regressions for what the schemathesis fuzz (scripts/fuzz-api.mjs) found:
 * each response must carry a status the served OpenAPI document lists for
 * that operation, and a body matching it.
 */
const db = useTestDatabase('bff_fuzz_findings');
const bff = useTestBff(db);

interface Operation {
  operationId: string;
  responses: Record<string, unknown>;
}
let paths: Record<string, Record<string, Operation>>;

beforeAll(async () => {
  paths = (await request(bff.app).get('/api/v1/openapi.json')).body.paths;
});

const documentedStatuses = (path: string, method: string) => Object.keys(paths[path]?.[method]?.responses ?? {}).map(Number);

describe('fuzz findings', () => {
  it('admin: setting a key without a notification email answers notificationEmail null (was missing, violating AdminAccount)', async () => {
    const response = await request(bff.app)
      .put('/admin/v1/accounts/acc_fuzz_no_email/brevo')
      .set(bearer(bff.config.ADMIN_SECRET))
      .send({ apiKey: 'xkeysib-sandbox-demo' });
    expect(response.status).toBe(200);
    expect(adminAccountResponseSchema.strict().parse(response.body)).toMatchObject({ accountId: 'acc_fuzz_no_email', notificationEmail: null });
  });

  it.each([
    ['a non-Latin-1 character', '\u{dab3}xkeysib-sandbox-demo'],
    ['an emoji', 'xkeysib-😀-sandbox'],
    ['a space', 'xkeysib sandbox demo'],
    ['a newline (header injection)', 'xkeysib-sandbox-demo\r\nx-evil: 1'],
    ['a NUL byte', 'xkeysib-\u0000-sandbox'],
  ])('admin: refuses a Brevo key with %s (it could never be sent; every Brevo call of the account answered 502)', async (_label, apiKey) => {
    const url = '/admin/v1/accounts/acc_fuzz_key/brevo';
    const admin = bearer(bff.config.ADMIN_SECRET);
    expect((await request(bff.app).put(url).set(admin).send({ apiKey: 'xkeysib-sandbox-demo' })).status).toBe(200);
    const refused = await request(bff.app).put(url).set(admin).send({ apiKey });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('validation_failed');
    const lists = await request(bff.app).get('/api/v1/brevo/lists').set(bearer(await bff.token({ accountId: 'acc_fuzz_key' })));
    expect(lists.status).toBe(200);
  });

  it('OAuth callback: the per-address rate limit (429) is documented', async () => {
    const callback = '/api/v1/oauth/salesforce/callback';
    let last = 0;
    for (let i = 0; i < 61 && last !== 429; i++) last = (await request(bff.app).get(`${callback}?state=x&code=y`)).status;
    expect(last).toBe(429);
    expect(documentedStatuses(callback, 'get')).toContain(429);
  });

  it('a request line over 16 kB is refused with 431 by the HTTP server, and every operation documents it', async () => {
    const response = await request(bff.app).get(`/api/v1/integrations?${'x'.repeat(17_000)}`).set(bearer(await bff.token()));
    expect(response.status).toBe(431);
    const operations = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    const missing = operations.filter((operation) => {
      const [method, path] = operation.split(' ') as [string, string];
      return !documentedStatuses(path, method).includes(431);
    });
    expect(operations.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it.each([
    ['POST', '/api/v1/integrations', { kind: 'salesforce-leads', name: `\t${'*'.repeat(100)}` }],
    ['POST', '/api/v1/brevo/lists', { name: ` ${'l'.repeat(200)}` }],
  ] as const)('%s %s: a string longer than its documented maxLength is refused even when trimming would shorten it (a tab and 100 characters were accepted)', async (method, path, body) => {
    const response = await request(bff.app)[method === 'POST' ? 'post' : 'put'](path).set(bearer(await bff.token())).send(body);
    expect(response.status).toBe(422);
    expect(documentedStatuses(path, method.toLowerCase())).toContain(422);
  });

  it('GET /api/v1/brevo/lists?offset= (empty) is refused with 422, not read as offset 0', async () => {
    const response = await request(bff.app).get('/api/v1/brevo/lists?limit=21&offset=').set(bearer(await bff.token()));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
  });
});
