import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { secretBoxFromEnv } from '@contact-sync/secrets';
import { connectStore, createSyncStore, ensureSyncIndexes } from '@contact-sync/store';
import pino from 'pino';
import { loadWorkerConfig } from './config.ts';
import { createIntegrationRunner } from './integration-runner.ts';
import { SyncScheduler } from './scheduler.ts';
import { StreamSupervisor } from './stream-supervisor.ts';

for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];

/** A stream batch takes seconds: its integration lease outlives a worker killed during one by this much at most. */
const STREAM_BATCH_LEASE_MS = 15_000;

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = pino({ level: config.LOG_LEVEL, redact: ['*.accessToken', '*.refreshToken', '*.apiKey', '*.authorization', '*.secret'] });
  const secrets = secretBoxFromEnv(config.ENCRYPTION_KEYS, config.ENCRYPTION_KEY_ID);
  const connection = await connectStore(config.MONGODB_URI);
  const store = createSyncStore(connection.db!);
  await ensureSyncIndexes(store);
  const runner = createIntegrationRunner({ connection, secrets, store, config, logger });
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const scheduler = new SyncScheduler({
    db: connection.db!,
    store,
    workerId,
    intervalSeconds: config.SYNC_INTERVAL_SECONDS,
    concurrency: config.WORKER_CONCURRENCY,
    listSyncing: runner.listSyncing,
    runOne: runner.runOne,
    onError: (error, where) => logger.error({ err: error, where }, 'worker error'),
  });
  await scheduler.start();
  const streams = new StreamSupervisor({
    store,
    workerId,
    enabled: config.SYNC_STREAMING === 'on',
    listSyncing: runner.listSyncingDocs,
    salesforceOf: runner.salesforceOf,
    targetOf: runner.streamTargetOf,
    exclusive: (integrationId, work) => scheduler.withIntegrationLease(integrationId, work, { ttlMs: STREAM_BATCH_LEASE_MS }),
    requestRun: (integrationId) => store.state.requestSync(integrationId, new Date(), 'stream_catch_up'),
    session: { pollSeconds: config.SYNC_INTERVAL_SECONDS, safetyNetSeconds: config.SYNC_SAFETY_NET_SECONDS },
    onError: (error, where) => logger.error({ err: error, where }, 'worker error'),
  });
  streams.start();
  const host = new URL(config.MONGODB_URI.replace(/^mongodb(\+srv)?:/, 'http:')).host;
  console.log(`worker ready on ${host}`);

  let stopping = false;
  const shutdown = (signal: string) => {
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
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
