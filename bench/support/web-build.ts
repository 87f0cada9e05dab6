// The microfrontend's production build (apps/web/vite.config.ts, both modes),
// made into a throw-away folder with the benchmark stack's URLs baked in, its
// gzipped sizes, and a static server for it that the host demo loads from.
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { bundleSizes, type OutputSize } from '../../apps/web/scripts/bundle-sizes.ts';
import { repoRoot } from '../../scripts/lib/paths.mjs';

export { gzipAtMount, type OutputSize } from '../../apps/web/scripts/bundle-sizes.ts';

const webRoot = join(repoRoot, 'apps', 'web');

export interface WebBuild {
  dir: string;
  module: OutputSize[];
  iframe: OutputSize[];
  /** Where the host demo finds them on the static server. */
  modulePath: string;
  iframePath: string;
  remove(): void;
}

/** Builds both entries into a temp folder (never apps/web/dist, which others may be serving). */
export async function buildWeb(urls: { bffUrl: string; hostOrigin: string }): Promise<WebBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'contact-sync-bench-web-'));
  // Read by vite as import.meta.env.VITE_* (apps/web/src/app/config.ts), as scripts/serve.ts sets them.
  process.env.VITE_BFF_URL = urls.bffUrl;
  process.env.VITE_HOST_ORIGINS = urls.hostOrigin;
  const configFile = join(webRoot, 'vite.config.ts');
  await build({ configFile, root: webRoot, mode: 'module', logLevel: 'warn', build: { outDir: join(dir, 'module') } });
  await build({ configFile, root: webRoot, mode: 'iframe', logLevel: 'warn', build: { outDir: join(dir, 'iframe') } });
  // The module build's entry (vite.config.ts `lib.fileName`); other .js files there load on demand.
  const moduleEntry = 'contact-sync.js';
  return {
    dir,
    module: bundleSizes(join(dir, 'module'), moduleEntry),
    iframe: bundleSizes(join(dir, 'iframe'), 'iframe.html'),
    modulePath: `/module/${moduleEntry}`,
    iframePath: '/iframe.html',
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Serves the build like a CDN would: the module under /module (imported
 * cross-origin by the host page, so with CORS for it), the iframe page and its
 * /assets at the root (vite's default base).
 */
export function serveWeb(web: WebBuild, port: number, hostOrigin: string): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', hostOrigin);
    next();
  });
  app.use('/module', express.static(join(web.dir, 'module')));
  app.use(express.static(join(web.dir, 'iframe')));
  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
  });
}
