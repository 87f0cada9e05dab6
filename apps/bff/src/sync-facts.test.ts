import { quotaMonth } from '@contact-sync/rules';
import { connectStore, createSyncStore, ensureSyncIndexes, integrationModel, streamKeyOf, type SyncStore } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import { Types, type Connection } from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createMetrics } from './metrics.ts';
import { syncFactsFromStore } from './sync-facts.ts';
import { bearer, useTestBff } from './test-support.ts';

const db = useTestDatabase('bff_facts');
const bff = useTestBff(db);
let store: SyncStore;

beforeAll(async () => {
  store = createSyncStore(db.connection.db!);
  await ensureSyncIndexes(store);
});

/** The facts of one integration as the per-integration reads give them (quota.used, quota.limitOf, the 5 newest runs). */
async function singleReads(id: string, month: string) {
  const recent = await store.runs.list(id, 5);
  const running = recent.find((run) => run.status === 'running');
  return {
    quota: { used: await store.quota.used(id, month), limit: await store.quota.limitOf(id) },
    runs: {
      lastSyncAt: recent.find((run) => run.endedAt)?.endedAt ?? null,
      running: running ? { processed: running.progress.done, total: running.progress.total } : null,
    },
  };
}

describe('sync facts from the sync store', () => {
  it('reads quota use and limit, the last finished run and the running one', async () => {
    const facts = syncFactsFromStore(db.connection);
    const one = async () => (await facts.forIntegrations(['int1'], '2026-11')).get('int1');
    expect(await facts.quota('int1', '2026-11')).toEqual({ used: 0, limit: 100_000 });
    expect(await one()).toEqual({ quota: { used: 0, limit: 100_000 }, runs: { lastSyncAt: null, running: null } });

    const reserved = await store.quota.reserve('int1', '2026-11', 'page-1', 40, 100_000);
    expect(reserved.ok).toBe(true);
    await store.quota.setLimit('int1', 200_000, 'support', new Date());
    expect(await facts.quota('int1', '2026-11')).toEqual({ used: 40, limit: 200_000 });

    const first = await store.runs.start('int1', 'salesforce_to_brevo', true, new Date('2026-11-27T10:00:00Z'));
    await store.runs.finish(first._id, 'succeeded', new Date('2026-11-27T10:05:00Z'));
    const second = await store.runs.start('int1', 'salesforce_to_brevo', false, new Date('2026-11-27T11:00:00Z'));
    await store.runs.addPage(second._id, { read: 10 }, 10, { done: 10, total: 50 });
    expect(await one()).toEqual({
      quota: { used: 40, limit: 200_000 },
      runs: { lastSyncAt: new Date('2026-11-27T10:05:00Z'), running: { processed: 10, total: 50, startedAt: new Date('2026-11-27T11:00:00Z') } },
    });
  });
});

describe('GET /api/v1/integrations with the sync store', () => {
  let monitored: Connection;
  const commands: { name: string; collection: string; filter: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    monitored = await connectStore(db.uri, { monitorCommands: true });
    monitored.getClient().on('commandStarted', (event) => {
      const command = event.command as Record<string, unknown> & { filter?: Record<string, unknown> };
      commands.push({ name: event.commandName, collection: String(command[event.commandName]), filter: command.filter ?? {} });
    });
  });
  afterAll(async () => {
    await monitored?.close();
  });

  const app = () =>
    createApp({
      config: bff.config,
      connection: monitored,
      secrets: bff.secrets,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
      syncFacts: syncFactsFromStore(monitored),
      validateResponses: true,
    });

  /** `count` integrations of `accountId`, each with its own quota use and runs; their ids. */
  async function seed(accountId: string, count: number): Promise<string[]> {
    const token = await bff.token({ accountId });
    const month = quotaMonth(new Date());
    const ids: string[] = [];
    for (let n = 0; n < count; n += 1) {
      const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name: `${accountId} ${n}` });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      ids.push(id);
      if (n % 4 === 0) continue; // never synced, no quota use
      await store.quota.reserve(id, month, 'page', 100 * n, 100_000);
      if (n % 3 === 0) await store.quota.setLimit(id, 300_000 + n, 'support', new Date());
      // n finished runs, one an hour; every other integration has a run in progress; some have more than 5 runs.
      for (let r = 0; r < n; r += 1) {
        const run = await store.runs.start(id, r % 2 ? 'brevo_to_salesforce' : 'salesforce_to_brevo', false, new Date(Date.UTC(2026, 10, 20, r)));
        await store.runs.finish(run._id, 'succeeded', new Date(Date.UTC(2026, 10, 20, r, 10 + n)));
      }
      if (n % 2 === 0) {
        const running = await store.runs.start(id, 'salesforce_to_brevo', false, new Date(Date.UTC(2026, 10, 21, n)));
        await store.runs.addPage(running._id, { read: n }, n, { done: n, total: 10 * n });
      }
    }
    return ids;
  }

  async function list(accountId: string) {
    const token = await bff.token({ accountId });
    commands.length = 0;
    const response = await request(app()).get('/api/v1/integrations').set(bearer(token));
    expect(response.status).toBe(200);
    return { integrations: response.body.integrations as Array<Record<string, unknown> & { id: string }>, commands: [...commands] };
  }

  it('shows each integration its own quota use, last sync and progress', async () => {
    const ids = await seed('acc_facts', 7);
    const { integrations } = await list('acc_facts');
    const month = quotaMonth(new Date());
    expect(integrations.map((i) => i.id).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const facts = await singleReads(id, month);
      const dto = integrations.find((i) => i.id === id)!;
      expect(dto, id).toMatchObject({
        quota: { ...facts.quota, month },
        lastSyncAt: facts.runs.lastSyncAt?.toISOString() ?? null,
        sync: facts.runs.running ? { running: true, ...facts.runs.running } : null,
      });
      // The single-integration route builds the same DTO, and says how changes arrive (drafts: not at all).
      const single = await request(app()).get(`/api/v1/integrations/${id}`).set(bearer(await bff.token({ accountId: 'acc_facts' })));
      expect(single.body).toEqual({ ...dto, changeDelivery: null });
    }
    const byId = new Map(integrations.map((i) => [i.id, i]));
    expect(byId.get(ids[0]!)).toMatchObject({ quota: { used: 0, limit: 100_000 }, lastSyncAt: null, sync: null });
    expect(byId.get(ids[3]!)).toMatchObject({ quota: { used: 300, limit: 300_003 }, lastSyncAt: '2026-11-20T02:13:00.000Z', sync: null });
    expect(byId.get(ids[6]!)).toMatchObject({
      quota: { used: 600, limit: 300_006 },
      lastSyncAt: '2026-11-20T05:16:00.000Z',
      sync: { running: true, processed: 6, total: 60 },
    });
  });

  it("one integration's answer says how its Salesforce changes arrive now (its org and object's stream); the list does not", async () => {
    const [id] = await seed('acc_stream', 1);
    const token = await bff.token({ accountId: 'acc_stream' });
    const single = async () => (await request(app()).get(`/api/v1/integrations/${id}`).set(bearer(token))).body as { changeDelivery: unknown };
    const sealed = { v: 1, kid: 'k', iv: 'x', tag: 'x', data: 'x' };
    await integrationModel(db.connection).updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { status: 'active', salesforce: { orgId: '00DSTREAM', userId: '005STREAM', username: 'u@acme.test', displayName: null, instanceUrl: 'https://acme.test', accessToken: sealed, refreshToken: sealed, connectedAt: new Date(), tokenRefreshedAt: null } } },
    );
    // Active, but no worker has seen it yet.
    expect((await single()).changeDelivery).toBeNull();
    const key = streamKeyOf('00DSTREAM', 'Contact');
    const since = new Date('2026-12-01T10:00:00Z');
    await store.streams.setMode(key, '00DSTREAM', 'Contact', { mode: 'realtime', reason: null, pollSeconds: 60, safetyNetSeconds: 900 }, since);
    expect((await single()).changeDelivery).toEqual({ mode: 'realtime', reason: null, intervalSeconds: 900, since: since.toISOString() });
    const later = new Date('2026-12-01T10:05:00Z');
    await store.streams.setMode(key, '00DSTREAM', 'Contact', { mode: 'polling', reason: 'cdc_not_enabled', pollSeconds: 60, safetyNetSeconds: 900 }, later);
    expect((await single()).changeDelivery).toEqual({ mode: 'polling', reason: 'cdc_not_enabled', intervalSeconds: 60, since: later.toISOString() });
    const { integrations } = await list('acc_stream');
    expect(integrations[0]).not.toHaveProperty('changeDelivery');
    await integrationModel(db.connection).updateOne({ _id: new Types.ObjectId(id) }, { $set: { status: 'paused' } });
    expect((await single()).changeDelivery).toBeNull();
  });

  it('reads the database in four finds whatever the number of integrations: the account\'s integrations, their run summaries, quota use and limits', async () => {
    const ids = { acc_three: await seed('acc_three', 3), acc_twelve: await seed('acc_twelve', 12) };
    const month = quotaMonth(new Date());
    for (const [accountId, own] of Object.entries(ids)) {
      const { integrations, commands } = await list(accountId);
      expect(integrations).toHaveLength(own.length);
      const byCollection = Object.fromEntries(commands.map((command) => [command.collection, command]));
      expect(commands.map((command) => `${command.name} ${command.collection}`).sort()).toEqual([
        'find integrations',
        'find sync_quota_limits',
        'find sync_quota_usage',
        'find sync_states',
      ]);
      // Each by an index: the account, or the integrations' `_id`s (usage: the month's document of each).
      expect(byCollection.integrations!.filter).toEqual({ accountId });
      const idsIn = (collection: string) => ((byCollection[collection]!.filter._id as { $in: string[] }).$in ?? []).slice().sort();
      expect(idsIn('sync_states')).toEqual([...own].sort());
      expect(idsIn('sync_quota_limits')).toEqual([...own].sort());
      expect(idsIn('sync_quota_usage')).toEqual(own.map((id) => `${id}:${month}`).sort());
    }
  });
});
