import { quotaMonth } from '@contact-sync/rules';
import { connectStore, createSyncStore, ensureSyncIndexes, type SyncStore } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import type { Connection } from 'mongoose';
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
  const finds: { collection: string; idType: string; filterKeys: string[] }[] = [];

  beforeAll(async () => {
    monitored = await connectStore(db.uri, { monitorCommands: true });
    monitored.getClient().on('commandStarted', (event) => {
      if (event.commandName === 'find') {
        const id: unknown = event.command.filter?._id;
        finds.push({
          collection: String(event.command.find),
          idType: typeof id === 'object' && id !== null ? id.constructor.name : typeof id,
          filterKeys: Object.keys(event.command.filter ?? {}),
        });
      }
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
    finds.length = 0;
    const response = await request(app()).get('/api/v1/integrations').set(bearer(token));
    expect(response.status).toBe(200);
    return { integrations: response.body.integrations as Array<Record<string, unknown> & { id: string }>, finds: [...finds] };
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
      // The single-integration route builds the same DTO.
      const single = await request(app()).get(`/api/v1/integrations/${id}`).set(bearer(await bff.token({ accountId: 'acc_facts' })));
      expect(single.body).toEqual(dto);
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

  it('reads only by `_id` equality (the one lookup the local database does not answer by scanning)', async () => {
    await seed('acc_three', 3);
    await seed('acc_twelve', 12);
    // Summaries of never-run integrations are made (from their runs) by the first read, and kept.
    for (const accountId of ['acc_three', 'acc_twelve']) await list(accountId);
    for (const [accountId, count] of [['acc_three', 3], ['acc_twelve', 12]] as const) {
      const { integrations, finds } = await list(accountId);
      expect(integrations).toHaveLength(count);
      // The account's index, then per integration: itself, its run summary, its quota use and limit.
      expect(finds.map((find) => find.collection).sort()).toEqual(
        ['account_integration_index', ...['integrations', 'sync_quota_limits', 'sync_quota_usage', 'sync_run_summaries'].flatMap((c) => Array(count).fill(c))].sort(),
      );
      for (const find of finds) {
        // `_id` alone: any other condition beside it makes the local database read the whole collection.
        expect(find.filterKeys, JSON.stringify(find)).toEqual(['_id']);
        expect(['string', 'ObjectId'], JSON.stringify(find)).toContain(find.idType);
      }
    }
  });
});
