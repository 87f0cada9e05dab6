// Starts the worker from its TypeScript source, as `node --import tsx src/main.ts` does, without tsx's
// loader staying resident: on Node 20 `--import tsx` registers module hooks that run on a thread of their
// own, with its own V8 heap, for the whole life of the process. Measured on the worker's modules
// (2026-12-05): 190 MB of RSS once loaded through tsx, 142 MB loaded from one bundle, out of the 250 MB
// a worker should peak at during a 1,000,000-record load (issue 17; packages/sync/README.md "Memory").
//
// So the worker's source (the workspace packages included, as their `exports` point at `src/*.ts`) is
// bundled in memory by esbuild at each start (the compiler tsx itself uses; the process reached its
// configuration check in 2.2–2.8 s, 3.0–3.3 s through tsx, at load 7–9), and every
// third-party import is left to Node, named by the file esbuild resolved it to, so each package loads
// exactly as it would from source. The bundle is written to a temporary file, imported, and removed.
// Stack traces name the TypeScript files (inline source map).
//
//   node --max-old-space-size=192 --max-semi-space-size=4 start.mjs   (apps/worker `npm start`, the Dockerfile, the stack)
import { build, stop } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const workerDir = dirname(fileURLToPath(import.meta.url));
const WORKSPACE_SCOPE = '@contact-sync/';

/** Bare imports of third-party packages stay imports, of the file esbuild resolves them to from the importing file. */
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith(WORKSPACE_SCOPE) || args.path.startsWith('node:')) return undefined;
      const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // Node's built-in modules come back external already.
      if (resolved.external) return undefined;
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

// A stop signal before the worker listens for one (it does from its first line) ends the process at once, and
// cleanly: nothing has started. Left at Node's default, the signal would end it by the signal itself.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(0);
  });
}

const { outputFiles } = await build({
  entryPoints: [join(workerDir, 'src', 'main.ts')],
  absWorkingDir: workerDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'inline',
  write: false,
  logLevel: 'warning',
  plugins: [thirdPartyExternal],
});
// esbuild's compiler runs as a child process: ended once the bundle is made.
await stop();
process.setSourceMapsEnabled(true);
const folder = mkdtempSync(join(tmpdir(), 'contact-sync-worker-'));
const bundle = join(folder, 'main.mjs');
// Once Node has read it the file is not needed; an exit during the import (a configuration error) removes it too.
const remove = () => rmSync(folder, { recursive: true, force: true });
process.once('exit', remove);
writeFileSync(bundle, outputFiles[0].contents);
try {
  await import(pathToFileURL(bundle).href);
} finally {
  remove();
  process.off('exit', remove);
}
