import { createSyncStore, type RunDoc } from '@contact-sync/store';
import type { Connection } from 'mongoose';
import type { IntegrationFacts, RunFacts, SyncFacts } from './context.ts';

/** Runs of both directions interleave: a few recent ones hold the last finished and any running. */
const RECENT_RUNS = 5;

function runFacts(recent: readonly RunDoc[]): RunFacts {
  const running = recent.find((run) => run.status === 'running');
  return {
    lastSyncAt: recent.find((run) => run.endedAt)?.endedAt ?? null,
    running: running ? { processed: running.progress.done, total: running.progress.total } : null,
  };
}

/** Quota use and last run from the sync engine's own collections. */
export function syncFactsFromStore(connection: Connection): SyncFacts {
  const store = createSyncStore(connection.db!);
  return {
    async quota(integrationId, month) {
      const [used, limit] = await Promise.all([store.quota.used(integrationId, month), store.quota.limitOf(integrationId)]);
      return { used, limit };
    },
    async forIntegrations(integrationIds, month) {
      // One find per collection whatever the number of integrations (the list route asked 3 per integration).
      const [used, limits, runs] = await Promise.all([
        store.quota.usedMany(integrationIds, month),
        store.quota.limitsOf(integrationIds),
        store.runs.recentForMany(integrationIds, RECENT_RUNS),
      ]);
      return new Map<string, IntegrationFacts>(
        integrationIds.map((id) => [id, { quota: { used: used.get(id)!, limit: limits.get(id)! }, runs: runFacts(runs.get(id) ?? []) }]),
      );
    },
  };
}
