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
    expect(await store.state.syncRequestSignal()).toEqual(expect.any(String));
  });
});
