import { createSyncStore, ensureSyncIndexes } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { syncFactsFromStore } from './sync-facts.ts';

const db = useTestDatabase('bff_facts');

describe('sync facts from the sync store', () => {
  it('reads quota use and limit, the last finished run and the running one', async () => {
    const store = createSyncStore(db.connection.db!);
    await ensureSyncIndexes(store);
    const facts = syncFactsFromStore(db.connection);
    expect(await facts.quota('int1', '2026-11')).toEqual({ used: 0, limit: 100_000 });
    expect(await facts.runs('int1')).toEqual({ lastSyncAt: null, running: null });

    const reserved = await store.quota.reserve('int1', '2026-11', 'page-1', 40, 100_000);
    expect(reserved.ok).toBe(true);
    await store.quota.setLimit('int1', 200_000, 'support', new Date());
    expect(await facts.quota('int1', '2026-11')).toEqual({ used: 40, limit: 200_000 });

    const first = await store.runs.start('int1', 'salesforce_to_brevo', true, new Date('2026-11-27T10:00:00Z'));
    await store.runs.finish(first._id, 'succeeded', new Date('2026-11-27T10:05:00Z'));
    const second = await store.runs.start('int1', 'salesforce_to_brevo', false, new Date('2026-11-27T11:00:00Z'));
    await store.runs.addPage(second._id, { read: 10 }, 10, { done: 10, total: 50 });
    expect(await facts.runs('int1')).toEqual({ lastSyncAt: new Date('2026-11-27T10:05:00Z'), running: { processed: 10, total: 50 } });
  });
});
