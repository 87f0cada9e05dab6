import { MONTHLY_OPERATION_QUOTA } from '@contact-sync/rules';
import { useTestDatabase } from '@contact-sync/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSyncStore, ensureSyncIndexes, type SyncStore } from './sync-store.ts';

const db = useTestDatabase('store_batch');
let store: SyncStore;
const base = Date.parse('2026-11-27T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(base - minutes * 60_000);

/** `count` finished runs of `integrationId`, one a minute, the newest `newest` minutes ago. */
async function finishedRuns(integrationId: string, count: number, newest: number) {
  for (let i = 0; i < count; i += 1) {
    const run = await store.runs.start(integrationId, i % 2 ? 'brevo_to_salesforce' : 'salesforce_to_brevo', false, minutesAgo(newest + i));
    await store.runs.finish(run._id, 'succeeded', minutesAgo(newest + i - 0.5));
  }
}

beforeAll(async () => {
  store = createSyncStore(db.connection.db!);
  await ensureSyncIndexes(store);
});

describe('batched reads of the sync facts', () => {
  it('reads quota use and limits of several integrations, defaults for those without a document', async () => {
    await store.quota.reserve('q1', '2026-11', 'page', 40, 100_000);
    await store.quota.reserve('q2', '2026-11', 'page', 7, 100_000);
    await store.quota.reserve('q2', '2026-10', 'page', 99, 100_000);
    await store.quota.setLimit('q2', 250_000, 'support', new Date(base));
    const ids = ['q1', 'q2', 'q3'];
    expect(await store.quota.usedMany(ids, '2026-11')).toEqual(new Map([['q1', 40], ['q2', 7], ['q3', 0]]));
    expect(await store.quota.limitsOf(ids)).toEqual(new Map([['q1', MONTHLY_OPERATION_QUOTA], ['q2', 250_000], ['q3', MONTHLY_OPERATION_QUOTA]]));
    for (const id of ids) {
      expect((await store.quota.usedMany(ids, '2026-11')).get(id)).toBe(await store.quota.used(id, '2026-11'));
      expect((await store.quota.limitsOf(ids)).get(id)).toBe(await store.quota.limitOf(id));
    }
    expect(await store.quota.usedMany([], '2026-11')).toEqual(new Map());
  });

  it('gives the run summary of each integration from its run writes: in progress with its progress, last end, never run', async () => {
    await finishedRuns('done2', 2, 10);
    const first = await store.runs.start('both', 'salesforce_to_brevo', false, minutesAgo(3));
    await store.runs.addPage(first._id, { read: 10 }, 10, { done: 10, total: 50 });
    expect((await store.state.runSummaries(['both'])).get('both')).toEqual({
      currentRun: { runId: first._id, startedAt: minutesAgo(3), done: 10, total: 50 },
      lastSyncAt: null,
    });
    await store.runs.finish(first._id, 'succeeded', minutesAgo(2));
    // The other direction's run follows.
    const second = await store.runs.start('both', 'brevo_to_salesforce', false, minutesAgo(2));
    // A run its worker left running (it died): closed by the next holder of the integration.
    const abandoned = await store.runs.start('gone', 'salesforce_to_brevo', true, minutesAgo(30));
    await store.runs.addPage(abandoned._id, { read: 5 }, 5, { done: 5, total: null });
    await store.runs.closeAbandoned('gone', minutesAgo(1));
    // A stale run (its worker lost the integration) ends after a newer run started, then one ends earlier than the last end.
    const stale = await store.runs.start('late', 'salesforce_to_brevo', false, minutesAgo(10));
    const newer = await store.runs.start('late', 'salesforce_to_brevo', false, minutesAgo(6));
    await store.runs.finish(stale._id, 'failed', minutesAgo(5));
    await store.runs.addPage(newer._id, { read: 1 }, 1, { done: 1, total: 2 });

    expect(await store.state.runSummaries(['done2', 'both', 'gone', 'late', 'never', 'both'])).toEqual(
      new Map([
        ['done2', { currentRun: null, lastSyncAt: minutesAgo(9.5) }],
        ['both', { currentRun: { runId: second._id, startedAt: minutesAgo(2), done: 0, total: null }, lastSyncAt: minutesAgo(2) }],
        ['gone', { currentRun: null, lastSyncAt: minutesAgo(1) }],
        ['late', { currentRun: { runId: newer._id, startedAt: minutesAgo(6), done: 1, total: 2 }, lastSyncAt: minutesAgo(5) }],
        ['never', { currentRun: null, lastSyncAt: null }],
      ]),
    );
    await store.runs.finish(newer._id, 'succeeded', minutesAgo(4));
    const older = await store.runs.start('late', 'salesforce_to_brevo', false, minutesAgo(12));
    await store.runs.finish(older._id, 'failed', minutesAgo(11));
    expect((await store.state.runSummaries(['late'])).get('late')).toEqual({ currentRun: null, lastSyncAt: minutesAgo(4) });
  });
});
