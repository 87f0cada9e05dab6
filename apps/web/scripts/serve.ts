// `npm start` entry of the microfrontend: the vite dev server for both
// entries — the module (`/src/mount.ts`, imported cross-origin by the host in
// module mode) and the iframe page (`/iframe.html`). Prints one ready line.
import { ConfigError, env, loadConfig } from '@contact-sync/config';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { z } from 'zod';

const configSchema = z.object({
  WEB_PORT: env.port(5180),
  WEB_HOST: z.string().min(1).default('localhost'),
  /** The BFF the app calls (same variable as the BFF's own). */
  BFF_PUBLIC_URL: env.url('http://localhost:4000'),
  /** Hosts that may embed the app: CORS for module mode, the iframe's postMessage allowlist (same variable as the BFF's). */
  ALLOWED_HOST_ORIGINS: env.list(['http://localhost:5170']),
  /** Vite's dependency cache; a second server (the browser tests) uses its own. */
  WEB_CACHE_DIR: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const config = loadConfig('web', configSchema);
  const origin = `http://${config.WEB_HOST}:${config.WEB_PORT}`;
  // Read by vite as import.meta.env.VITE_* (see src/app/config.ts).
  process.env.VITE_BFF_URL = config.BFF_PUBLIC_URL.replace(/\/+$/, '');
  process.env.VITE_HOST_ORIGINS = config.ALLOWED_HOST_ORIGINS.join(',');

  const server = await createServer({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    clearScreen: false,
    ...(config.WEB_CACHE_DIR ? { cacheDir: config.WEB_CACHE_DIR } : {}),
    logLevel: 'warn',
    server: {
      host: config.WEB_HOST,
      port: config.WEB_PORT,
      strictPort: true,
      origin,
      cors: { origin: config.ALLOWED_HOST_ORIGINS },
      hmr: { host: config.WEB_HOST, port: config.WEB_PORT },
    },
  });
  await server.listen();
  console.log(`web ready on ${origin} (module ${origin}/src/mount.ts, iframe ${origin}/iframe.html)`);

  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
