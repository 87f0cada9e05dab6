import { submitLogin } from '@contact-sync/sandbox-salesforce';
import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, postedMessage, useTestBff } from '../test-support.ts';

const db = useTestDatabase('bff_salesforce');
const bff = useTestBff(db);

async function createDraft(token: string, name: string, kind = 'salesforce-contacts') {
  const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind, name });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('Salesforce connection', () => {
  it('allows five integrations per Salesforce account (R3), refuses a sixth, and a deleted one frees a slot', async () => {
    const token = await bff.token({ accountId: 'acc_r3' });
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await createDraft(token, `R3 ${i}`, i % 2 ? 'salesforce-leads' : 'salesforce-contacts'));
    for (const id of ids.slice(0, 5)) expect((await connectSalesforce(bff, token, id)).message.ok).toBe(true);

    const sixth = await connectSalesforce(bff, token, ids[5]!);
    expect(sixth.message).toEqual({ type: 'contact-sync:salesforce-connected', integrationId: ids[5], ok: false, error: 'connection_limit_reached' });
    expect((await request(bff.app).get(`/api/v1/integrations/${ids[5]}`).set(bearer(token))).body.salesforce).toBeNull();

    // Reconnecting one of the five does not take a second slot.
    expect((await connectSalesforce(bff, token, ids[0]!)).message.ok).toBe(true);

    expect((await request(bff.app).delete(`/api/v1/integrations/${ids[1]}`).set(bearer(token))).status).toBe(204);
    const retry = await connectSalesforce(bff, token, ids[5]!);
    expect(retry.message.ok).toBe(true);
    expect((await request(bff.app).get(`/api/v1/integrations/${ids[5]}`).set(bearer(token))).body.salesforce.username).toBe('demo@acme.test');

    // Free the demo user's slots for the other tests.
    for (const id of [ids[0], ...ids.slice(2)]) expect((await request(bff.app).delete(`/api/v1/integrations/${id}`).set(bearer(token))).status).toBe(204);
    expect(await db.connection.db!.collection('salesforce_slots').countDocuments()).toBe(0);
  });

  it('tells the opener clearly when the user has API access disabled, and stores nothing', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'No API');
    const { message, callback } = await connectSalesforce(bff, token, id, 'noapi@acme.test');
    expect(message).toMatchObject({ ok: false, error: 'salesforce_api_disabled', integrationId: id });
    expect(callback.text).toContain('API Enabled');
    const integration = await request(bff.app).get(`/api/v1/integrations/${id}`).set(bearer(token));
    expect(integration.body).toMatchObject({ salesforce: null, nextStep: 'connect' });
  });

  it('accepts a state once: a replayed, unknown or missing state is refused', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'Replay');
    const { redirect } = await connectSalesforce(bff, token, id);
    const replay = await request(bff.app).get(`${redirect.pathname}${redirect.search}`);
    expect(postedMessage(replay.text)).toEqual({ type: 'contact-sync:salesforce-connected', integrationId: null, ok: false, error: 'oauth_state_invalid' });
    const forged = await request(bff.app).get(`${redirect.pathname}?code=abc&state=forged-state`);
    expect(postedMessage(forged.text).error).toBe('oauth_state_invalid');
    const missing = await request(bff.app).get(redirect.pathname);
    expect(postedMessage(missing.text).error).toBe('oauth_state_invalid');
  });

  it('needs the PKCE verifier bound to the state: a code from another state does not connect', async () => {
    const token = await bff.token();
    const first = await createDraft(token, 'PKCE 1');
    const second = await createDraft(token, 'PKCE 2');
    const startA = await request(bff.app).post(`/api/v1/integrations/${first}/salesforce/connect`).set(bearer(token));
    const startB = await request(bff.app).post(`/api/v1/integrations/${second}/salesforce/connect`).set(bearer(token));
    const loginA = await submitLogin(startA.body.authorizeUrl, 'demo@acme.test', 'demo1234');
    const codeA = new URL(loginA.location!).searchParams.get('code')!;
    const stateB = new URL(startB.body.authorizeUrl).searchParams.get('state')!;
    // B's state (and so B's verifier) with A's code: Salesforce refuses the verifier.
    const mixed = await request(bff.app).get(`/api/v1/oauth/salesforce/callback?${new URLSearchParams({ code: codeA, state: stateB })}`);
    expect(postedMessage(mixed.text)).toMatchObject({ ok: false, error: 'oauth_failed', integrationId: second });
    expect((await request(bff.app).get(`/api/v1/integrations/${second}`).set(bearer(token))).body.salesforce).toBeNull();
  });

  it('reports a denied authorization', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'Denied');
    const start = await request(bff.app).post(`/api/v1/integrations/${id}/salesforce/connect`).set(bearer(token));
    const state = new URL(start.body.authorizeUrl).searchParams.get('state')!;
    const denied = await request(bff.app).get(`/api/v1/oauth/salesforce/callback?error=access_denied&error_description=end-user+denied&state=${state}`);
    expect(postedMessage(denied.text)).toMatchObject({ ok: false, error: 'oauth_denied', integrationId: id });
  });

  it('posts only to the configured origins, never "*", from a page that cannot be framed', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'Page');
    const { callback } = await connectSalesforce(bff, token, id);
    expect(callback.text).toContain('"http://localhost:5180"');
    expect(callback.text).toContain('"http://localhost:5170"');
    expect(callback.text).not.toContain("'*'");
    expect(callback.text).not.toContain('"*"');
    const csp = callback.headers['content-security-policy'] as string;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(callback.headers['cross-origin-opener-policy']).toBe('unsafe-none');
    expect(callback.headers['cache-control']).toBe('no-store');
  });

  it('sets auth_error when the refresh token is revoked, and reconnecting restores the integration', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'Revoked');
    await connectSalesforce(bff, token, id);
    await request(bff.app).put(`/api/v1/integrations/${id}/consent`).set(bearer(token)).send({ optIn: true });
    await request(bff.app).put(`/api/v1/integrations/${id}/mapping`).set(bearer(token)).send({ mapping: { EMAIL: 'Email' } });
    const list = await request(bff.app).post('/api/v1/brevo/lists').set(bearer(token)).send({ name: 'Revoked list' });
    await request(bff.app).put(`/api/v1/integrations/${id}/list`).set(bearer(token)).send({ listId: list.body.id });
    expect((await request(bff.app).post(`/api/v1/integrations/${id}/activate`).set(bearer(token))).body.status).toBe('active');

    // The admin revokes every session of the user; the access token also expires.
    await fetch(`${bff.salesforce.url}/__sandbox/tokens/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo@acme.test' }),
    });
    const options = await request(bff.app).get(`/api/v1/integrations/${id}/mapping/options`).set(bearer(token));
    expect(options.status).toBe(409);
    expect(options.body.error.code).toBe('salesforce_reconnect_required');
    const broken = await request(bff.app).get(`/api/v1/integrations/${id}`).set(bearer(token));
    expect(broken.body).toMatchObject({ status: 'auth_error', statusReason: { code: 'salesforce_invalid_grant' } });
    expect((await request(bff.app).post(`/api/v1/integrations/${id}/activate`).set(bearer(token))).body.error.code).toBe('salesforce_reconnect_required');

    expect((await connectSalesforce(bff, token, id)).message.ok).toBe(true);
    const restored = await request(bff.app).get(`/api/v1/integrations/${id}`).set(bearer(token));
    expect(restored.body).toMatchObject({ status: 'active', statusReason: null, mapping: { EMAIL: 'Email' }, list: { id: list.body.id } });
  });

  it('refreshes an expired access token transparently and keeps the new one', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'Refresh');
    await connectSalesforce(bff, token, id);
    const before = await db.connection.db!.collection('integrations').findOne({ name: 'Refresh' });
    await fetch(`${bff.salesforce.url}/__sandbox/tokens/expire`, { method: 'POST' });
    expect((await request(bff.app).get(`/api/v1/integrations/${id}/mapping/options`).set(bearer(token))).status).toBe(200);
    const after = await db.connection.db!.collection('integrations').findOne({ name: 'Refresh' });
    expect(after?.salesforce.accessToken.data).not.toBe(before?.salesforce.accessToken.data);
    expect(after?.salesforce.tokenRefreshedAt).toBeInstanceOf(Date);
  });
});
