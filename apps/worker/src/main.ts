import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LOG_REDACTION, metricsAccess, metricsClosedWarning, secretBoxFromEnv } from '@contact-sync/secrets';
import { connectStore, createSyncStore, ensureSyncIndexes } from '@contact-sync/store';
import pino from 'pino';
import { loadWorkerConfig } from './config.ts';
import { createIntegrationRunner } from './integration-runner.ts';
import { cachedFor, createWorkerMetrics, registerWorkerGauges } from './metrics.ts';
import { startMetricsServer } from './metrics-server.ts';
import { SyncScheduler } from './scheduler.ts';
import { StreamSupervisor } from './stream-supervisor.ts';

for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];

/**
 * SIGTERM and SIGINT are listened to from the first moment the worker's code runs. Until a listener is added, Node
 * leaves a signal at its default, which ends the process by the signal: no clean stop, no exit code. The listeners used
 * to be added last, just after "worker ready" was printed, and a signal sent on reading it could land between the two
 * (main.test.ts failed so once). A signal that comes while the worker starts stops it as soon as it has started.
 */
let stopRequested: NodeJS.Signals | null = null;
let stopWorker: ((signal: NodeJS.Signals) => void) | null = null;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopWorker) stopWorker(signal);
    else stopRequested ??= signal;
  });
}

/** A stream batch takes seconds: its integration lease outlives a worker killed during one by this much at most. */
const STREAM_BATCH_LEASE_MS = 15_000;
/** The integrations-in-back-off gauge counts in the database at most this often, however often it is scraped. */
const BACKOFF_COUNT_TTL_MS = 15_000;

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = pino({ level: config.LOG_LEVEL, ...LOG_REDACTION });
  const secrets = secretBoxFromEnv(config.ENCRYPTION_KEYS, config.ENCRYPTION_KEY_ID);
  const connection = await connectStore(config.MONGODB_URI);
  const store = createSyncStore(connection.db!);
  await ensureSyncIndexes(store);
  const metrics = createWorkerMetrics();
  const runner = createIntegrationRunner({ connection, secrets, store, config, logger, metrics });
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const scheduler = new SyncScheduler({
    db: connection.db!,
    store,
    workerId,
    intervalSeconds: config.SYNC_INTERVAL_SECONDS,
    concurrency: config.WORKER_CONCURRENCY,
    ...(config.WORKER_LOAD_SLOTS !== undefined ? { loadSlots: config.WORKER_LOAD_SLOTS } : {}),
    leaseTtlMs: config.WORKER_LEASE_SECONDS * 1000,
    listSyncing: runner.listSyncing,
    runOne: runner.runOne,
    isLoad: runner.isLoad,
    onError: (error, where) => logger.error({ err: error, where }, 'worker error'),
    onScheduleLag: (lagMs) => metrics.scheduleLag.observe(lagMs / 1000),
  });
  // Returns once Agenda takes jobs: the first reconcile and the waiting sync requests go on in the background.
  await scheduler.start();
  const started = Date.now();
  void scheduler.firstRound().then(() => logger.info({ ms: Date.now() - started }, 'worker: first reconcile and sync requests done'));
  const streams = new StreamSupervisor({
    store,
    workerId,
    enabled: config.SYNC_STREAMING === 'on',
    listSyncing: runner.listSyncingVersions,
    findSyncing: runner.findSyncingDocs,
    salesforceOf: runner.salesforceOf,
    targetOf: runner.streamTargetOf,
    accountVersions: runner.accountVersions,
    exclusive: (integrationId, work) => scheduler.withIntegrationLease(integrationId, work, { ttlMs: STREAM_BATCH_LEASE_MS }),
    requestRun: (integrationId) => store.state.requestSync(integrationId, new Date(), 'stream_catch_up'),
    session: { pollSeconds: config.SYNC_INTERVAL_SECONDS, safetyNetSeconds: config.SYNC_SAFETY_NET_SECONDS },
    onError: (error, where) => logger.error({ err: error, where }, 'worker error'),
  });
  streams.start();
  registerWorkerGauges(metrics, {
    runsInProgress: () => scheduler.runsInProgress(),
    streamsHeld: () => streams.heldKeys().length,
    integrationsBackingOff: cachedFor(BACKOFF_COUNT_TTL_MS, () => store.state.countBackingOff(new Date()), (error) => logger.warn({ err: error }, 'metrics: integrations in back-off not counted')),
  });
  const metricsClosed = metricsClosedWarning(config);
  if (metricsClosed && config.WORKER_METRICS_PORT !== undefined) logger.warn(metricsClosed);
  const served =
    config.WORKER_METRICS_PORT === undefined
      ? null
      : await startMetricsServer({
          port: config.WORKER_METRICS_PORT,
          host: config.WORKER_METRICS_HOST,
          registry: metrics.registry,
          access: metricsAccess(config),
          onError: (error) => logger.error({ err: error }, 'metrics server error'),
        });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // A second signal changes nothing: the first stop is under way.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing the current chunk of each run');
    streams
      .stop()
      .then(() => scheduler.stop())
      .then(() => connection.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'worker stop failed');
          process.exit(1);
        },
      );
  };
  stopWorker = shutdown;
  const host = new URL(config.MONGODB_URI.replace(/^mongodb(\+srv)?:/, 'http:')).host;
  console.log(`worker ready on ${host}${served ? ` (metrics and health on ${served.url})` : ''}`);
  if (stopRequested) shutdown(stopRequested);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
