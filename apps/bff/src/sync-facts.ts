import { isSyncing } from '@contact-sync/rules';
import { createSyncStore, streamKeyOfIntegration, type RunSummary } from '@contact-sync/store';
import type { Connection } from 'mongoose';
import type { IntegrationFacts, RunFacts, SyncFacts } from './context.ts';

function runFacts(summary: RunSummary | undefined): RunFacts {
  return {
    lastSyncAt: summary?.lastSyncAt ?? null,
    running: summary?.currentRun ? { processed: summary.currentRun.done, total: summary.currentRun.total, startedAt: summary.currentRun.startedAt } : null,
  };
}

/** Quota use and last run from the sync engine's own collections. */
export function syncFactsFromStore(connection: Connection): SyncFacts {
  const store = createSyncStore(connection.db!);
  const quota: SyncFacts['quota'] = async (integrationId, month) => {
    const [used, limit] = await Promise.all([store.quota.used(integrationId, month), store.quota.limitOf(integrationId)]);
    return { used, limit };
  };
  return {
    quota,
    async forIntegrations(integrationIds, month) {
      // One find per collection, whatever the number of integrations: run summaries, the month's use, limits.
      const [runs, used, limits] = await Promise.all([
        store.state.runSummaries(integrationIds),
        store.quota.usedMany(integrationIds, month),
        store.quota.limitsOf(integrationIds),
      ]);
      return new Map<string, IntegrationFacts>(
        integrationIds.map((id) => [id, { quota: { used: used.get(id)!, limit: limits.get(id)! }, runs: runFacts(runs.get(id)) }]),
      );
    },
    async changeDelivery(integration) {
      const key = streamKeyOfIntegration(integration);
      if (!key || !isSyncing(integration.status)) return null;
      const stream = await store.streams.get(key);
      if (!stream) return null;
      return {
        mode: stream.mode,
        reason: stream.reason,
        intervalSeconds: stream.mode === 'realtime' ? stream.safetyNetSeconds : stream.pollSeconds,
        since: stream.since.toISOString(),
      };
    },
  };
}
