import { metricsClosedWarning, secretBoxFromEnv } from '@contact-sync/secrets';
import { connectStore, ensureBffIndexes, accountRepository } from '@contact-sync/store';
import { createApp } from './app.ts';
import { loadBffConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { seedDemoAccount } from './seed.ts';
import { syncFactsFromStore } from './sync-facts.ts';
import { createSyncHooks } from './sync-hooks.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadBffConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const secrets = secretBoxFromEnv(config.ENCRYPTION_KEYS, config.ENCRYPTION_KEY_ID);
  // During a database outage a request fails within 5 s (503; a Brevo webhook 429, before Brevo's own
  // timeout) instead of waiting in mongoose's buffer; the connection reconnects on its own.
  const connection = await connectStore(config.MONGODB_URI, { bufferCommands: false, serverSelectionTimeoutMS: 5_000 });
  await ensureBffIndexes(connection);
  await seedDemoAccount(config, accountRepository(connection, secrets), logger);

  const hooks = createSyncHooks({ config, connection, secrets });
  const app = createApp({ config, connection, secrets, logger, syncFacts: syncFactsFromStore(connection), hooks });
  const metricsClosed = metricsClosedWarning(config);
  if (metricsClosed) logger.warn(metricsClosed);
  const server = app.listen(config.BFF_PORT, config.BFF_HOST, () => {
    const bound = server.address();
    const listening = bound && typeof bound === 'object' ? ` (listening on ${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port})` : '';
    console.log(`bff ready on ${config.BFF_PUBLIC_URL.replace(/\/+$/, '')}${listening}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
    server.close(async () => {
      clearTimeout(force);
      await connection.close().catch(() => undefined);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // ConfigError messages name every variable; anything else is a start-up failure.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
