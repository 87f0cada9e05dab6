// Where the time of GET /api/v1/integrations goes: the route's own code
// (the store's listForAccount, then toIntegrationDtos with the sync facts read
// as apps/bff/src/sync-facts.ts reads them) replayed in this process with the
// driver's command monitoring on, so every database command is counted and
// timed; then the same answer built from batched reads ($in), the way the
// route could, and checked to be identical.
import { MONTHLY_OPERATION_QUOTA, quotaMonth } from '@contact-sync/rules';
import type { IntegrationFacts } from '../../apps/bff/src/context.ts';
import { DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, secretBoxFromEnv } from '@contact-sync/secrets';
import { QUOTA_LIMITS, QUOTA_USAGE, RUNS, connectStore, createSyncStore, integrationRepository, type QuotaLimitDoc, type QuotaUsageDoc, type RunDoc } from '@contact-sync/store';
import { toIntegrationDto, toIntegrationDtos } from '../../apps/bff/src/services/integration-view.ts';
import { syncFactsFromStore } from '../../apps/bff/src/sync-facts.ts';

export interface CommandStats {
  count: number;
  /** Wall time of the whole replay. */
  totalMs: number;
  /** CPU this process spent on it (driver, mongoose, DTOs): what the BFF process spends per request. */
  cpuMs: number;
  /** Sum of each command's duration as the driver saw it (they overlap: the facts are read concurrently). */
  byCommand: Record<string, { count: number; sumMs: number; maxMs: number }>;
}

export interface ListRouteProfile {
  integrations: number;
  route: CommandStats;
  batched: CommandStats;
  /** The batched read produced exactly the route's answer. */
  sameAnswer: boolean;
  /** Each kind of read alone, one at a time (median ms): what one command costs without the others. */
  isolated: Record<string, number>;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function profileListRoute(mongoUri: string, accountId: string, repeats = 3): Promise<ListRouteProfile> {
  const connection = await connectStore(mongoUri, { monitorCommands: true });
  const client = connection.getClient();
  let current: CommandStats | null = null;
  const started = new Map<number, { name: string; at: number }>();
  client.on('commandStarted', (event) => started.set(event.requestId, { name: `${event.commandName} ${collectionOf(event.command)}`, at: performance.now() }));
  client.on('commandSucceeded', (event) => {
    const start = started.get(event.requestId);
    started.delete(event.requestId);
    if (!start || !current || start.name.startsWith('endSessions')) return;
    const entry = (current.byCommand[start.name] ??= { count: 0, sumMs: 0, maxMs: 0 });
    const ms = performance.now() - start.at;
    entry.count += 1;
    entry.sumMs = round(entry.sumMs + ms);
    entry.maxMs = round(Math.max(entry.maxMs, ms));
    current.count += 1;
  });

  const measure = async (work: () => Promise<unknown>): Promise<CommandStats> => {
    let best: CommandStats | null = null;
    for (let i = 0; i < repeats; i += 1) {
      current = { count: 0, totalMs: 0, cpuMs: 0, byCommand: {} };
      const t = performance.now();
      const cpu = process.cpuUsage();
      await work();
      const used = process.cpuUsage(cpu);
      current.cpuMs = round((used.user + used.system) / 1000);
      current.totalMs = round(performance.now() - t);
      if (!best || current.totalMs < best.totalMs) best = current;
    }
    current = null;
    return best!;
  };

  try {
    const integrations = integrationRepository(connection, secretBoxFromEnv(DEV_ENCRYPTION_KEYS, DEV_ENCRYPTION_KEY_ID));
    const facts = syncFactsFromStore(connection);
    let count = 0;
    // What the route handler does (apps/bff/src/routes/integrations.ts).
    const route = await measure(async () => {
      const list = await integrations.listForAccount(accountId);
      count = list.length;
      return toIntegrationDtos(list, facts, new Date());
    });

    // The same answer with the facts read in one query per collection, handed to the
    // route's own toIntegrationDto through a SyncFacts over the results: what the fix would do.
    const db = connection.db!;
    let batchedAnswer: unknown = null;
    const batched = await measure(async () => {
      const list = await integrations.listForAccount(accountId);
      const ids = list.map((integration) => integration._id.toHexString());
      const now = new Date();
      const month = quotaMonth(now);
      const [usage, limits, runs] = await Promise.all([
        db.collection<QuotaUsageDoc>(QUOTA_USAGE).find({ _id: { $in: ids.map((id) => `${id}:${month}`) } }).toArray(),
        db.collection<QuotaLimitDoc>(QUOTA_LIMITS).find({ _id: { $in: ids } }).toArray(),
        db.collection<RunDoc>(RUNS).find({ integrationId: { $in: ids } }).sort({ startedAt: -1 }).toArray(),
      ]);
      const usedBy = new Map(usage.map((doc) => [doc.integrationId, doc.used]));
      const limitBy = new Map(limits.map((doc) => [doc._id, doc.limit]));
      const runsBy = new Map<string, RunDoc[]>();
      for (const run of runs) runsBy.set(run.integrationId, [...(runsBy.get(run.integrationId) ?? []), run]);
      const batchedFacts = (id: string): IntegrationFacts => {
        const recent = (runsBy.get(id) ?? []).slice(0, 5);
        const running = recent.find((run) => run.status === 'running');
        return {
          quota: { used: usedBy.get(id) ?? 0, limit: limitBy.get(id) ?? MONTHLY_OPERATION_QUOTA },
          runs: {
            lastSyncAt: recent.find((run) => run.endedAt)?.endedAt ?? null,
            running: running ? { processed: running.progress.done, total: running.progress.total, startedAt: running.startedAt } : null,
          },
        };
      };
      batchedAnswer = list.map((integration) => toIntegrationDto(integration, batchedFacts(integration._id.toHexString()), month));
    });
    const routeAnswer = await (async () => {
      const list = await integrations.listForAccount(accountId);
      return toIntegrationDtos(list, facts, new Date());
    })();
    // Same answer, but for the quota month and timestamps of "now" (identical within a run).
    const sameAnswer = JSON.stringify(routeAnswer) === JSON.stringify(batchedAnswer);

    const store = createSyncStore(db);
    const list = await integrations.listForAccount(accountId);
    const id = list[0]!._id.toHexString();
    const month = quotaMonth(new Date());
    const one = async (work: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const t = performance.now();
        await work();
        samples.push(performance.now() - t);
      }
      return round(samples.sort((a, b) => a - b)[2]!);
    };
    const isolated = {
      'integrations of the account (listForAccount)': await one(() => integrations.listForAccount(accountId)),
      'runs of one integration (runs.list, by integrationId)': await one(() => store.runs.list(id, 5)),
      'quota use of one integration (quota.used, by _id)': await one(() => store.quota.used(id, month)),
      'quota limit of one integration (quota.limitOf, by _id)': await one(() => store.quota.limitOf(id)),
    };
    return { integrations: count, route, batched, sameAnswer, isolated };
  } finally {
    await connection.close();
  }
}

function collectionOf(command: Record<string, unknown>): string {
  for (const key of ['find', 'aggregate', 'count', 'insert', 'update', 'delete', 'findAndModify', 'getMore']) {
    if (typeof command[key] === 'string') return String(command[key]);
  }
  return '';
}

/**
 * After a load test the database may still be working through the queries of
 * the requests it was sent (a killed client does not cancel them): wait until
 * the account's list reads as fast as it did before the load (or 3 minutes).
 */
export async function waitForQuietDatabase(mongoUri: string, isolated: Record<string, number>, accountId = 'acc_demo'): Promise<void> {
  const baseline = Object.values(isolated)[0] ?? 100;
  const connection = await connectStore(mongoUri);
  const integrations = integrationRepository(connection, secretBoxFromEnv(DEV_ENCRYPTION_KEYS, DEV_ENCRYPTION_KEY_ID));
  const deadline = performance.now() + 180_000;
  try {
    while (performance.now() < deadline) {
      const t = performance.now();
      await integrations.listForAccount(accountId);
      if (performance.now() - t < baseline * 2 + 20) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    console.log('  the database was still busy 3 minutes after the load test');
  } finally {
    await connection.close();
  }
}
