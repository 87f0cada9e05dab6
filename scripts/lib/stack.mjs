// The processes that make up the running product, in start order. Each app
// prints "<name> ready on <url>" once it serves; apps not built yet are skipped.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevdbBinary } from '../../tools/devdb/launch.mjs';
import { repoRoot } from './paths.mjs';

const DEFAULT_DEVDB_PORT = 27027;

/** Node apps started from source with tsx (workspace packages have no build step). */
export const APPS = [
  { name: 'salesforce-sandbox', dir: 'apps/sandbox-salesforce', groups: ['sandboxes'] },
  { name: 'brevo-sandbox', dir: 'apps/sandbox-brevo', groups: ['sandboxes'] },
  { name: 'bff', dir: 'apps/bff', groups: ['product'], needsDatabase: true },
  { name: 'worker', dir: 'apps/worker', groups: ['product'], needsDatabase: true },
  { name: 'web', dir: 'apps/web', groups: ['product'], entry: 'scripts/serve.ts' },
  { name: 'host-demo', dir: 'apps/host-demo', groups: ['product'] },
];

export function appEntry(app) {
  return join(repoRoot, app.dir, app.entry ?? 'src/main.ts');
}

export function isBuilt(app) {
  return existsSync(appEntry(app));
}

/**
 * Starts the database (unless MONGODB_URI points elsewhere) and the selected apps.
 * @param {import('./process-group.mjs').ProcessGroup} group
 * @param {{ only?: string, env?: Record<string, string> }} options
 */
export async function startStack(group, { only, env = {} } = {}) {
  const started = [];
  let mongoUri = process.env.MONGODB_URI;

  if (!mongoUri && (only === undefined || only === 'devdb' || only === 'product')) {
    const port = Number(process.env.DEVDB_PORT ?? DEFAULT_DEVDB_PORT);
    const devdb = await group.start({
      name: 'devdb',
      command: ensureDevdbBinary(),
      args: ['-port', String(port), '-data', join(repoRoot, '.data', 'devdb')],
      ready: /devdb ready on/,
    });
    started.push(devdb.name);
    mongoUri = `mongodb://127.0.0.1:${port}/contact_sync`;
  }

  for (const app of APPS) {
    if (only && only !== 'devdb' && !app.groups.includes(only)) continue;
    if (only === 'devdb') break;
    if (!isBuilt(app)) continue;
    await group.start({
      name: app.name,
      command: process.execPath,
      args: ['--import', 'tsx', appEntry(app)],
      cwd: join(repoRoot, app.dir),
      env: { ...(app.needsDatabase && mongoUri ? { MONGODB_URI: mongoUri } : {}), ...env },
      ready: / ready on /,
    });
    started.push(app.name);
  }
  return started;
}
