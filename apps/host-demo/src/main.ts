import { ConfigError } from '@contact-sync/config';
import { createHostDemoApp } from './app.ts';
import { buildAssets } from './assets.ts';
import { loadHostDemoConfig } from './config.ts';

/** `npm start` entry: configuration from the environment, one ready line, clean exit on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadHostDemoConfig();
  const origin = `http://${config.HOST_DEMO_HOST}:${config.HOST_DEMO_PORT}`;
  const app = createHostDemoApp({ config, assets: await buildAssets(), origin });
  const server = app.listen(config.HOST_DEMO_PORT, config.HOST_DEMO_HOST, () => {
    console.log(`host-demo ready on ${origin}`);
  });
  server.on('error', (error) => {
    console.error(`host-demo: ${error.message}`);
    process.exit(1);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
