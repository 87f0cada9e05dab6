import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { createSyncStore } from './sync-store.ts';

const database = useTestDatabase('store_sync_requests');

describe('sync requests', () => {
  it('takes many requests for one integration at once (webhook calls arrive together), none failing', async () => {
    const store = createSyncStore(database.connection.db!);
    for (let round = 0; round < 5; round += 1) {
      const integrationId = `int-burst-${round}`;
      const at = new Date(Date.UTC(2026, 10, 27, 12, round));
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.state.requestSync(integrationId, at, 'brevo_change')));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(await store.state.syncRequestedAt(integrationId)).toEqual(at);
    }
    expect((await store.state.syncRequests()).map((request) => request.integrationId).sort()).toEqual(
      Array.from({ length: 5 }, (_, round) => `int-burst-${round}`),
    );
  });

  it('gives a request to one worker only, and keeps one made after the request taken, with what asked for it', async () => {
    const store = createSyncStore(database.connection.db!);
    const first = new Date(Date.UTC(2026, 10, 27, 13));
    await store.state.requestSync('int-take', first, 'sync_now');
    const taken = await Promise.all(Array.from({ length: 10 }, () => store.state.takeSyncRequest('int-take', first)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await store.state.syncRequestedAt('int-take')).toBeNull();

    const second = new Date(first.getTime() + 1_000);
    await store.state.requestSync('int-take', second, 'brevo_change');
    expect(await store.state.takeSyncRequest('int-take', first)).toBe(false);
    expect(await store.state.syncRequests()).toContainEqual({ integrationId: 'int-take', at: second, trigger: 'brevo_change' });
  });
});
