import { createSyncStore } from '@contact-sync/store';
import type { Connection } from 'mongoose';
import type { SyncFacts } from './context.ts';

/** Quota use and last run from the sync engine's own collections. */
export function syncFactsFromStore(connection: Connection): SyncFacts {
  const store = createSyncStore(connection.db!);
  return {
    async quota(integrationId, month) {
      const [used, limit] = await Promise.all([store.quota.used(integrationId, month), store.quota.limitOf(integrationId)]);
      return { used, limit };
    },
    async lastSyncAt(integrationId) {
      const recent = await store.runs.list(integrationId, 5);
      return recent.find((run) => run.endedAt)?.endedAt ?? null;
    },
  };
}
