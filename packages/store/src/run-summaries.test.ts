import { useTestDatabase } from '@contact-sync/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUN_SUMMARIES, SUMMARY_RECENT_RUNS, summaryOfRuns, type RunSummaryDoc } from './run-summaries.ts';
import { emptyCounts, RUNS, type RunDoc } from './runs.ts';
import { createSyncStore, ensureSyncIndexes, type SyncStore } from './sync-store.ts';

const db = useTestDatabase('store_run_summaries');
let store: SyncStore;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 12, minute));

/** What the summary must say: the summary of the integration's newest runs as `list` gives them. */
async function expected(integrationId: string): Promise<RunSummaryDoc> {
  return summaryOfRuns(integrationId, await store.runs.list(integrationId, SUMMARY_RECENT_RUNS));
}

async function expectSummariesOf(ids: readonly string[]) {
  const summaries = await store.runs.summaries(ids);
  expect([...summaries.keys()].sort()).toEqual([...new Set(ids)].sort());
  for (const id of ids) expect(summaries.get(id), id).toEqual(await expected(id));
}

beforeAll(async () => {
  store = createSyncStore(db.connection.db!);
  await ensureSyncIndexes(store);
});

describe('run summaries', () => {
  it('follow every run write as the newest runs say: start, pages, finish, both directions, abandoned runs', async () => {
    const ids = ['s1', 's2', 'never'];
    await expectSummariesOf(ids);

    const first = await store.runs.start('s1', 'brevo_to_salesforce', false, at(0));
    await expectSummariesOf(ids);
    await store.runs.addPage(first._id, { read: 3 }, 3, { done: 3, total: 3 });
    await store.runs.finish(first._id, 'succeeded', at(1));
    const second = await store.runs.start('s1', 'salesforce_to_brevo', true, at(2));
    await store.runs.addPage(second._id, { read: 10 }, 10, { done: 10, total: 100 });
    await expectSummariesOf(ids);
    await store.runs.addPage(second._id, { read: 10 }, 10, { done: 20, total: 100 });
    expect((await store.runs.summaries(['s1'])).get('s1')?.running).toMatchObject({ runId: second._id, done: 20, total: 100 });
    await store.runs.finish(second._id, 'failed', at(3), { code: 'sync_failed', message: 'x' });
    await store.runs.finish(second._id, 'succeeded', at(9)); // already ended: changes nothing
    await expectSummariesOf(ids);
    expect((await store.runs.summaries(['s1'])).get('s1')).toMatchObject({ running: null, lastEnded: { runId: second._id, endedAt: at(3) } });

    // A worker died mid-run: the next lease holder closes it.
    const abandoned = await store.runs.start('s2', 'salesforce_to_brevo', false, at(4));
    await store.runs.addPage(abandoned._id, { read: 5 }, 5, { done: 5, total: null });
    await expectSummariesOf(ids);
    expect(await store.runs.closeAbandoned('s2', at(30))).toBe(1);
    await expectSummariesOf(ids);
    expect((await store.runs.summaries(['s2'])).get('s2')).toMatchObject({ running: null, lastEnded: { runId: abandoned._id, endedAt: at(30) } });

    // Many runs: only the newest count.
    for (let minute = 40; minute < 52; minute += 1) {
      const run = await store.runs.start('s2', minute % 2 ? 'brevo_to_salesforce' : 'salesforce_to_brevo', false, at(minute));
      if (minute < 51) await store.runs.finish(run._id, minute % 3 ? 'succeeded' : 'stopped', at(minute + 0.5));
    }
    await expectSummariesOf(ids);

    await store.runs.removeIntegration('s2');
    expect(await db.connection.db!.collection(RUN_SUMMARIES).findOne({ _id: 's2' as never })).toBeNull();
    await expectSummariesOf(ids);
  });

  it('are made from the runs where none is stored (runs written before summaries), and kept up from there', async () => {
    const run = (n: number, status: RunDoc['status']): RunDoc => ({
      _id: `old-${n}`,
      integrationId: 'old',
      direction: 'salesforce_to_brevo',
      initialLoad: false,
      status,
      startedAt: at(n),
      endedAt: status === 'running' ? null : at(n + 0.5),
      counts: emptyCounts(),
      operationsCharged: 0,
      progress: { done: n, total: 10 },
      outcome: null,
    });
    await db.connection.db!.collection<RunDoc>(RUNS).insertMany([run(1, 'succeeded'), run(2, 'failed'), run(3, 'running')]);
    const summaries = db.connection.db!.collection<RunSummaryDoc>(RUN_SUMMARIES);
    expect(await summaries.findOne({ _id: 'old' })).toBeNull();

    await expectSummariesOf(['old']);
    expect(await summaries.findOne({ _id: 'old' })).toEqual(await expected('old'));
    await store.runs.addPage('old-3', { read: 1 }, 1, { done: 7, total: 10 });
    await store.runs.finish('old-3', 'succeeded', at(5));
    await expectSummariesOf(['old']);
    expect(await summaries.findOne({ _id: 'old' })).toMatchObject({ running: null, lastEnded: { runId: 'old-3', endedAt: at(5) } });
  });
});
