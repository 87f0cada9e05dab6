import { connectStore, createSyncStore, type SyncStore } from '@contact-sync/store';
import { receiveBrevoWebhook } from '@contact-sync/sync';
import mongoose from 'mongoose';
import pino from 'pino';
import { useTestDatabase } from '@contact-sync/testing';
import { createHash } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { BffConfig } from '../config.ts';
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

  it('keeps a multiple-choice attribute’s labels, and drops values that are neither scalars nor a bounded list of labels', async () => {
    const content = { INTERESTS: ['Events', 'Webinars'], NESTED: { a: 1 }, MIXED: ['Events', 1], TOO_MANY: Array.from({ length: 501 }, () => 'x'), TOO_LONG: ['x'.repeat(201)] };
    const response = await receiveBrevoWebhook(
      { integrationId: OTHER_ID, authorization: `Bearer ${OTHER_SECRET}`, body: { ...event, ts: 1_790_000_600, content: [content] } },
      { store },
    );
    expect(response).toMatchObject({ status: 200, stored: 1 });
    const stored = (await store.events.pending(OTHER_ID, 100)).find((doc) => doc.content.INTERESTS !== undefined);
    expect(stored!.content).toEqual({ INTERESTS: ['Events', 'Webinars'] });
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

  it("reads the integration's account once per BFF: a delivery of echoes then costs the sync state's read and the account's", async () => {
    const monitored = await connectStore(db.uri, { monitorCommands: true });
    const reads: string[] = [];
    monitored.getClient().on('commandStarted', (started) => {
      if (started.commandName === 'find') reads.push(String((started.command as Record<string, unknown>).find));
    });
    try {
      const app = createApp({ config: bff.config, connection: monitored, secrets: bff.secrets, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }) });
      const token = await bff.token({ accountId: 'acc_echoes' });
      const id = (await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name: 'Echoes' })).body.id as string;
      await store.state.setWebhook(id, 10, { v: 1 }, sha256(SECRET));
      await request(bff.app).put('/admin/v1/accounts/acc_echoes/brevo').set(bearer(bff.config.ADMIN_SECRET)).send({ apiKey: 'xkeysib-sandbox-demo', apiKeyName: 'Contact sync' });
      const deliver = async (ts: number) => {
        reads.length = 0;
        const answer = await request(app).post(path(id)).set('content-type', 'application/json').set('authorization', `Bearer ${SECRET}`).send(JSON.stringify({ ...event, ts, api_key_name: 'Contact sync' }));
        expect(answer.body).toEqual({ stored: 0, duplicates: 0, ownWrites: 1 });
        return [...reads].sort();
      };
      expect(await deliver(1_790_002_000)).toEqual(['accounts', 'integrations', 'sync_states']);
      expect(await deliver(1_790_002_001)).toEqual(['accounts', 'sync_states']);
    } finally {
      await monitored.close();
    }
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

/** One raw POST over a socket, as an attacker sends it: its wall time and status. */
function timedPost(server: Server, id: string, body: Buffer, authorization: string): Promise<{ ms: number; status: number }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const call = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: path(id), headers: { 'content-type': 'application/json', 'content-length': body.length, authorization } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.statusCode! }));
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('unauthenticated calls cost nothing of the body (issue 12)', () => {
  let server: Server;
  beforeAll(async () => {
    server = bff.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('with a wrong secret, a 1 MB deeply nested body costs no more than a tiny one (ratio of medians, one run)', async () => {
    const depth = 500_000;
    const nested = Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(nested.length).toBeGreaterThan(999_000);
    const tiny = Buffer.from(JSON.stringify(event));
    const before = await pending();
    const times = { nested: [] as number[], tiny: [] as number[] };
    for (let round = 0; round < 15; round += 1) {
      const big = await timedPost(server, ID, nested, 'Bearer forged-secret');
      const small = await timedPost(server, ID, tiny, 'Bearer forged-secret');
      expect([big.status, small.status]).toEqual([401, 401]);
      times.nested.push(big.ms);
      times.tiny.push(small.ms);
    }
    const ratio = median(times.nested) / median(times.tiny);
    console.log(`webhook with a wrong secret: 1 MB nested body ${median(times.nested).toFixed(2)} ms, tiny body ${median(times.tiny).toFixed(2)} ms (median of 15), ratio ${ratio.toFixed(2)}`);
    // Parsing it first (as before) took over 100 ms a call; receiving 1 MB over loopback is about a millisecond.
    expect(ratio).toBeLessThan(3);
    expect(await pending()).toBe(before);
  });

  it('checks the secret before the content type, and refuses a body that is not JSON (415) without reading it', async () => {
    const asText = (authorization: string) =>
      request(bff.app).post(path()).set('content-type', 'text/plain').set('authorization', authorization).send(JSON.stringify({ ...event, ts: 1_790_002_000 }));
    const before = await pending();
    expect((await asText('Bearer wrong')).status).toBe(401);
    const refused = await asText(`Bearer ${SECRET}`);
    expect([refused.status, refused.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect(await pending()).toBe(before);
  });
});

describe("the webhook route's rate limits, apart from the API's (issue 12)", () => {
  const appWith = (config: Partial<BffConfig>) =>
    createApp({ config: { ...bff.config, TRUST_PROXY: ['loopback'], ...config }, connection: db.connection, secrets: bff.secrets, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }) });
  const from = (app: ReturnType<typeof appWith>, address: string, authorization: string, body: object, id = ID) =>
    request(app).post(path(id)).set('content-type', 'application/json').set('x-forwarded-for', address).set('authorization', authorization).send(JSON.stringify(body));
  const BREVO = '198.51.100.7';
  const ATTACKER = '203.0.113.9';

  it("cuts off an address that keeps failing authentication, and Brevo's deliveries from its own address go on", async () => {
    const app = appWith({ WEBHOOK_AUTH_FAILURES_PER_MINUTE: 3 });
    const forged = [];
    for (let i = 0; i < 5; i += 1) forged.push((await from(app, ATTACKER, 'Bearer forged', event)).status);
    expect(forged).toEqual([401, 401, 401, 429, 429]);
    const delivered = await from(app, BREVO, `Bearer ${SECRET}`, { ...event, ts: 1_790_003_000 });
    expect(delivered.status).toBe(200);
    expect(delivered.body.stored).toBe(1);
  });

  it('limits deliveries per integration, counting only authenticated ones: a forger cannot use up the budget', async () => {
    const app = appWith({ WEBHOOK_RATE_LIMIT_PER_MINUTE: 2 });
    for (let i = 0; i < 6; i += 1) expect((await from(app, `203.0.113.${20 + i}`, 'Bearer forged', event)).status).toBe(401);
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push((await from(app, BREVO, `Bearer ${SECRET}`, { ...event, ts: 1_790_004_000 + i })).status);
    // Brevo delivers the limited call again later (it does after a 429).
    expect(answers).toEqual([200, 200, 429]);
    expect((await store.events.pending(ID, 100)).filter((stored) => stored.modifiedAt.getTime() >= 1_790_004_000_000)).toHaveLength(2);
    expect((await from(app, BREVO, `Bearer ${OTHER_SECRET}`, { ...event, ts: 1_790_004_010 }, OTHER_ID)).status).toBe(200);
  });
});
