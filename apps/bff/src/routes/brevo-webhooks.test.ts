import { createSyncStore, type SyncStore } from '@contact-sync/store';
import { receiveBrevoWebhook } from '@contact-sync/sync';
import mongoose from 'mongoose';
import pino from 'pino';
import { useTestDatabase } from '@contact-sync/testing';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createMetrics } from '../metrics.ts';
import { bearer, useTestBff } from '../test-support.ts';

const db = useTestDatabase('bff_brevo_webhooks');
const bff = useTestBff(db);
const SECRET = 'integration-secret-0123456789';
const OTHER_SECRET = 'other-integration-secret-9876543210';
const ID = '665f1c2b9a1e4b0012345678';
const OTHER_ID = '665f1c2b9a1e4b0087654321';
const path = (id = ID) => `/api/v1/webhooks/brevo/${id}`;
let store: SyncStore;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const event = { event: 'contact_updated', email: 'a@b.test', id: 7, ts: 1_790_000_000, content: [{ FIRSTNAME: 'Ann' }] };

/** Posts a raw body, as Brevo does (no host JWT: the integration's own bearer secret). */
const post = (body: string, authorization?: string, id = ID) => {
  const call = request(bff.app).post(path(id)).set('content-type', 'application/json');
  return (authorization ? call.set('authorization', authorization) : call).send(body);
};
const pending = async () => (await store.events.countPending(ID)) + (await store.events.countPending(OTHER_ID));

beforeAll(async () => {
  store = createSyncStore(db.connection.db!);
  await store.state.setWebhook(ID, 7, { v: 1 }, sha256(SECRET));
  await store.state.setWebhook(OTHER_ID, 8, { v: 1 }, sha256(OTHER_SECRET));
});

describe('POST /api/v1/webhooks/brevo/:integrationId', () => {
  it.each([
    ['no Authorization header', undefined, ID],
    ['a wrong secret', 'Bearer wrong', ID],
    ['another integration’s secret', `Bearer ${OTHER_SECRET}`, ID],
    ['the right secret for an unknown integration', `Bearer ${SECRET}`, '000000000000000000000000'],
    ['a host JWT instead of the secret', 'host-jwt', ID],
    ['the secret without the Bearer scheme', SECRET, ID],
  ])('answers 401 for %s and stores nothing', async (_case, authorization, id) => {
    const header = authorization === 'host-jwt' ? bearer(await bff.token()).authorization : authorization;
    const response = await post(JSON.stringify(event), header, id);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
    expect(await pending()).toBe(0);
  });

  it.each([
    ['malformed JSON', '{not json', 400, 'invalid_json'],
    ['a wrong type (email a number)', JSON.stringify({ ...event, email: 5 }), 422, 'validation_failed'],
    ['a wrong type (ts a string)', JSON.stringify({ ...event, ts: 'yesterday' }), 422, 'validation_failed'],
    ['an empty batch', '[]', 422, 'validation_failed'],
    ['a batch with one bad payload', JSON.stringify([event, { event: 'contact_deleted' }]), 422, 'validation_failed'],
    ['a scalar body', '42', 400, 'invalid_json'],
    ['a body over 1 MB', JSON.stringify({ ...event, pad: 'x'.repeat(1_100_000) }), 413, 'payload_too_large'],
  ])('answers %s with the secret: %i %s, nothing stored', async (_case, body, status, code) => {
    const response = await post(body, `Bearer ${SECRET}`);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(await pending()).toBe(0);
  });

  it('stores a valid event once, even when Brevo delivers it twice', async () => {
    const first = await post(JSON.stringify(event), `Bearer ${SECRET}`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ stored: 1, duplicates: 0, ownWrites: 0 });
    const again = await post(JSON.stringify(event), `Bearer ${SECRET}`);
    expect(again.body).toEqual({ stored: 0, duplicates: 1, ownWrites: 0 });
    expect(await store.events.countPending(ID)).toBe(1);

    const batch = await post(JSON.stringify([event, { event: 'contact_deleted', email: 'c@d.test', ts: 1_790_000_100 }]), `Bearer ${SECRET}`);
    expect(batch.body).toEqual({ stored: 1, duplicates: 1, ownWrites: 0 });
    expect(await store.events.countPending(ID)).toBe(2);
    expect(await store.events.countPending(OTHER_ID)).toBe(0);
  });

  it('asks the workers for a run when it stores an event (once while one is asked), not for redeliveries', async () => {
    const requested = () => store.state.syncRequestedAt(ID);
    const fresh = { ...event, ts: 1_790_000_400 };
    expect((await post(JSON.stringify(fresh), `Bearer ${SECRET}`)).body).toEqual({ stored: 1, duplicates: 0, ownWrites: 0 });
    const first = await requested();
    expect(first).toBeInstanceOf(Date);
    // Still asked (no worker took it): another event leaves the request alone.
    await post(JSON.stringify({ ...event, ts: 1_790_000_401 }), `Bearer ${SECRET}`);
    expect(await requested()).toEqual(first);
    // Taken by a worker: a redelivery asks for nothing, a new event asks again.
    expect(await store.state.takeSyncRequest(ID, first!)).toBe(true);
    expect((await post(JSON.stringify(fresh), `Bearer ${SECRET}`)).body).toEqual({ stored: 0, duplicates: 1, ownWrites: 0 });
    expect(await requested()).toBeNull();
    await post(JSON.stringify({ ...event, ts: 1_790_000_402 }), `Bearer ${SECRET}`);
    expect(await requested()).toBeInstanceOf(Date);
    expect((await store.state.syncRequests()).map((r) => r.integrationId)).toContain(ID);
  });

  it('keeps the stored event and answers 200 when the run cannot be asked for (the scheduled run applies it)', async () => {
    const failures: unknown[] = [];
    const failingState = Object.create(store.state, { requestSync: { value: async () => Promise.reject(new Error('database gone')) } }) as SyncStore['state'];
    const answer = await receiveBrevoWebhook(
      { integrationId: OTHER_ID, authorization: `Bearer ${OTHER_SECRET}`, body: { ...event, ts: 1_790_000_500 } },
      { store: { ...store, state: failingState }, onRequestFailed: (error) => failures.push(error) },
    );
    expect(answer).toEqual({ status: 200, stored: 1, duplicates: 0, ownWrites: 0 });
    expect(failures).toHaveLength(1);
    expect(await store.events.countPending(OTHER_ID)).toBe(1);
  });

  it('acknowledges events it does not handle without storing them', async () => {
    const response = await post(JSON.stringify({ event: 'list_addition', email: 'a@b.test', ts: 1_790_000_200 }), `Bearer ${SECRET}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ stored: 0, duplicates: 0, ownWrites: 0 });
  });

  it("drops the echoes of the integration's own writes (its account's key name in api_key_name) and stores every other change", async () => {
    const token = await bff.token({ accountId: 'acc_keyed' });
    const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name: 'Keyed' });
    const id = created.body.id as string;
    await store.state.setWebhook(id, 9, { v: 1 }, sha256(SECRET));
    const setKey = (body: object) => request(bff.app).put('/admin/v1/accounts/acc_keyed/brevo').set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: 'xkeysib-sandbox-demo', ...body });
    const change = (ts: number, fields: object) => ({ ...event, ts, ...fields });
    const batch = [
      change(1_790_001_000, { api_key_name: 'Contact sync' }), // the integration's own write
      change(1_790_001_001, { api_key_name: '' }), // a marketer in Brevo's web app
      change(1_790_001_002, { api_key_name: 'Another tool' }),
      change(1_790_001_003, {}), // sent before Brevo named keys in webhooks
      { event: 'contact_deleted', email: 'a@b.test', ts: 1_790_001_004, api_key_name: 'Contact sync' }, // not a contact_updated: kept
    ];

    // Without a key name nothing can be told apart: every event is stored.
    await setKey({});
    expect((await post(JSON.stringify(batch), `Bearer ${SECRET}`, id)).body).toEqual({ stored: 5, duplicates: 0, ownWrites: 0 });

    await setKey({ apiKeyName: 'Contact sync' });
    const later = batch.map((payload) => ({ ...payload, ts: payload.ts + 100 }));
    expect((await post(JSON.stringify(later), `Bearer ${SECRET}`, id)).body).toEqual({ stored: 4, duplicates: 0, ownWrites: 1 });
    const pendingEvents = await store.events.pending(id, 100);
    expect(pendingEvents).toHaveLength(9);
    expect(pendingEvents.filter((stored) => stored.modifiedAt.getTime() === 1_790_001_100_000)).toHaveLength(0);

    // A wrong secret is refused; another integration (here one without an account) stores the same change.
    expect((await post(JSON.stringify(later[0]), `Bearer ${OTHER_SECRET}`, id)).status).toBe(401);
    expect((await post(JSON.stringify({ ...later[0], ts: 1_790_001_200 }), `Bearer ${SECRET}`)).body).toEqual({ stored: 1, duplicates: 0, ownWrites: 0 });
  });

  it('asks Brevo to deliver again (429, never a 5xx, which Brevo drops) when the event cannot be stored', async () => {
    const closed = await mongoose.createConnection(db.uri, { bufferCommands: false }).asPromise();
    await closed.close();
    const app = createApp({ config: bff.config, connection: closed, secrets: bff.secrets, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }) });
    const response = await request(app)
      .post(path())
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${SECRET}`)
      .send(JSON.stringify({ ...event, ts: 1_790_000_300 }));
    expect(response.status).toBe(429);
    expect(response.body.error.code).toBe('webhook_not_stored');
    expect(response.headers['retry-after']).toBe('5');

    // Brevo's redelivery once the database is back is stored.
    const redelivered = await post(JSON.stringify({ ...event, ts: 1_790_000_300 }), `Bearer ${SECRET}`);
    expect(redelivered.body).toEqual({ stored: 1, duplicates: 0, ownWrites: 0 });
  });
});
