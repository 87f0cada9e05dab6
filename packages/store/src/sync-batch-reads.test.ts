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

  it('gives each integration its newest runs, as list() does, also when busy integrations fill the first answer', async () => {
    // Two busy integrations hold the 5 × 5 newest runs (the first answer); the others have older or fewer runs.
    await finishedRuns('busy1', 20, 0);
    await finishedRuns('busy2', 20, 0.25);
    await finishedRuns('old7', 7, 600);
    await finishedRuns('few2', 2, 300);
    const running = await store.runs.start('few2', 'salesforce_to_brevo', false, minutesAgo(1));
    await store.runs.addPage(running._id, { read: 10 }, 10, { done: 10, total: 50 });
    const ids = ['busy1', 'busy2', 'old7', 'few2', 'never', 'old7'];
    const unique = [...new Set(ids)];
    const expected = new Map(await Promise.all(unique.map(async (id) => [id, await store.runs.list(id, 5)] as const)));
    expect(expected.get('old7')).toHaveLength(5);
    expect(expected.get('never')).toEqual([]);

    for (const rounds of [1, 2, 3]) {
      const batched = await store.runs.recentForMany(ids, 5, rounds);
      expect([...batched.keys()].sort()).toEqual([...unique].sort());
      for (const id of unique) expect(batched.get(id), `${id}, ${rounds} round(s)`).toEqual(expected.get(id));
    }
  });
});
