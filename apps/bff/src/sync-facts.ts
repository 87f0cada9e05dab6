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
    async runs(integrationId) {
      // Runs of both directions interleave: a few recent ones hold the last finished and any running.
      const recent = await store.runs.list(integrationId, 5);
      const running = recent.find((run) => run.status === 'running');
      return {
        lastSyncAt: recent.find((run) => run.endedAt)?.endedAt ?? null,
        running: running ? { processed: running.progress.done, total: running.progress.total } : null,
      };
    },
  };
}
