import { submitLogin } from '@contact-sync/sandbox-salesforce';
import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, relayedMessage, useTestBff } from '../test-support.ts';

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
    for (const id of ids.slice(0, 5)) expect((await connectSalesforce(bff, token, id)).outcome.ok).toBe(true);

    const sixth = await connectSalesforce(bff, token, ids[5]!);
    expect(sixth.outcome).toEqual({ ok: false, error: 'connection_limit_reached' });
    expect((await request(bff.app).get(`/api/v1/integrations/${ids[5]}`).set(bearer(token))).body.salesforce).toBeNull();

    // Reconnecting one of the five does not take a second slot.
    expect((await connectSalesforce(bff, token, ids[0]!)).outcome.ok).toBe(true);

    expect((await request(bff.app).delete(`/api/v1/integrations/${ids[1]}`).set(bearer(token))).status).toBe(204);
    const retry = await connectSalesforce(bff, token, ids[5]!);
    expect(retry.outcome.ok).toBe(true);
    expect((await request(bff.app).get(`/api/v1/integrations/${ids[5]}`).set(bearer(token))).body.salesforce.username).toBe('demo@acme.test');

    // Free the demo user's slots for the other tests.
    for (const id of [ids[0], ...ids.slice(2)]) expect((await request(bff.app).delete(`/api/v1/integrations/${id}`).set(bearer(token))).status).toBe(204);
    expect(await db.connection.db!.collection('salesforce_slots').countDocuments()).toBe(0);
  });

  it('tells the opener clearly when the user has API access disabled, and stores nothing', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'No API');
    const { outcome, completion } = await connectSalesforce(bff, token, id, 'noapi@acme.test');
    expect(outcome).toEqual({ ok: false, error: 'salesforce_api_disabled' });
    expect(completion.status).toBe(409);
    expect(completion.body.error.message).toContain('API Enabled');
    const integration = await request(bff.app).get(`/api/v1/integrations/${id}`).set(bearer(token));
    expect(integration.body).toMatchObject({ salesforce: null, nextStep: 'connect' });
  });

  it('accepts a state once: a replayed, unknown or missing state is refused', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'Replay');
    const { relayed } = await connectSalesforce(bff, token, id);
    const complete = (body: object) => request(bff.app).post(`/api/v1/integrations/${id}/salesforce/complete`).set(bearer(token)).send(body);
    const replay = await complete({ state: relayed.state, code: relayed.code });
    expect([replay.status, replay.body.error.code]).toEqual([400, 'oauth_state_invalid']);
    const forged = await complete({ state: 'forged-state', code: 'abc' });
    expect([forged.status, forged.body.error.code]).toEqual([400, 'oauth_state_invalid']);
    expect((await complete({ code: 'abc' })).status).toBe(422);
    expect((await complete({ state: 'x', code: 'abc', integrationId: id })).status).toBe(422);
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
    const mixed = await request(bff.app).post(`/api/v1/integrations/${second}/salesforce/complete`).set(bearer(token)).send({ state: stateB, code: codeA });
    expect([mixed.status, mixed.body.error.code]).toEqual([400, 'oauth_failed']);
    expect((await request(bff.app).get(`/api/v1/integrations/${second}`).set(bearer(token))).body.salesforce).toBeNull();
  });

  it('relays a denied authorization to the opener without a code', async () => {
    const token = await bff.token();
    const id = await createDraft(token, 'Denied');
    const start = await request(bff.app).post(`/api/v1/integrations/${id}/salesforce/connect`).set(bearer(token));
    const state = new URL(start.body.authorizeUrl).searchParams.get('state')!;
    const denied = await request(bff.app).get(`/api/v1/oauth/salesforce/callback?error=access_denied&error_description=end-user+denied&state=${state}`);
    expect(relayedMessage(denied.text)).toEqual({ type: 'contact-sync:salesforce-authorized', state, code: null, error: 'oauth_denied' });
    expect(denied.text).toContain('Access was not granted');
    const italian = await request(bff.app).get(`/api/v1/oauth/salesforce/callback?error=access_denied&state=${state}`).set('accept-language', 'it-IT,it;q=0.9');
    expect(italian.text).toContain('L’accesso non è stato concesso');
  });

  it('relays only to the configured origins, never "*", from a page that cannot be framed', async () => {
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

  it("a sign-in link sent to someone at another company connects nothing: the sender's integration stays unconnected, the victim's slots unchanged", async () => {
    // Account X starts a connection and sends the authorize URL to a victim, who signs in to their own org.
    const attacker = await bff.token({ accountId: 'acc_x', sub: 'user_x' });
    const attackersIntegration = await createDraft(attacker, 'Lure');
    const start = await request(bff.app).post(`/api/v1/integrations/${attackersIntegration}/salesforce/connect`).set(bearer(attacker));
    const slots = db.connection.db!.collection('salesforce_slots');
    const victimSlotsBefore = await slots.countDocuments();
    const login = await submitLogin(start.body.authorizeUrl as string, 'demo@acme.test', 'demo1234');
    const callback = await request(bff.app).get(new URL(login.location!).pathname + new URL(login.location!).search);
    expect(callback.status).toBe(200);
    // In the victim's browser the page has no opener of ours: it says so, and it stored nothing.
    expect(callback.text).toContain('Nothing was connected');
    const { state, code } = relayedMessage(callback.text);
    const relayed = { state, code };

    // Whoever else's window gets the relayed code cannot complete it: the victim's own account and integration,
    // or another user of account X, are refused and nothing is stored.
    const victim = await bff.token({ accountId: 'acc_victim', sub: 'user_victim' });
    const victimsIntegration = await createDraft(victim, 'Victim');
    const asVictim = await request(bff.app).post(`/api/v1/integrations/${victimsIntegration}/salesforce/complete`).set(bearer(victim)).send(relayed);
    expect([asVictim.status, asVictim.body.error.code]).toEqual([403, 'oauth_state_mismatch']);
    const onXsIntegration = await request(bff.app).post(`/api/v1/integrations/${attackersIntegration}/salesforce/complete`).set(bearer(victim)).send(relayed);
    expect(onXsIntegration.status).toBe(404);

    expect((await request(bff.app).get(`/api/v1/integrations/${attackersIntegration}`).set(bearer(attacker))).body.salesforce).toBeNull();
    expect((await request(bff.app).get(`/api/v1/integrations/${victimsIntegration}`).set(bearer(victim))).body.salesforce).toBeNull();
    expect(await slots.countDocuments()).toBe(victimSlotsBefore);

    // Another user of the same account who did not start it is refused too.
    const colleague = await bff.token({ accountId: 'acc_x', sub: 'user_y' });
    const second = await connectSalesforce(bff, attacker, attackersIntegration, 'demo@acme.test', colleague);
    expect(second.outcome).toEqual({ ok: false, error: 'oauth_state_mismatch' });
    expect((await request(bff.app).get(`/api/v1/integrations/${attackersIntegration}`).set(bearer(attacker))).body.salesforce).toBeNull();
    expect(await slots.countDocuments()).toBe(victimSlotsBefore);
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

    expect((await connectSalesforce(bff, token, id)).outcome.ok).toBe(true);
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
