// The processes that make up the running product, in start order, and the one
// place that derives every app's URLs from a port plan (so `npm start`, the
// browser tests and the benchmarks wire the apps together the same way).
// Each app prints "<name> ready on <url>" once it serves; apps without an
// entry file yet are skipped.
//
// Browser tests do not call this themselves: the vitest project `e2e`
// (e2e/support/global-setup.mjs) starts the stack once per run on free ports
// and provides the URLs (e2e/support/stack.ts `stackUrls()`); flows live in
// e2e/*.e2e.test.ts, with e2e/support/browser.ts for Chromium.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevdbBinary } from '../../tools/devdb/launch.mjs';
import { repoRoot } from './paths.mjs';

/**
 * Node apps started from source with tsx (workspace packages have no build step).
 * `nodeArgs`: the worker's heap is capped as its `npm start` caps it: its live set
 * is ~70 MB during a load (modules, one chunk per run), but with V8's default
 * limit (GBs) the garbage of each chunk piled up to 430–560 MB of RSS before a
 * full collection (packages/sync/README.md, "Memory").
 * `--max-semi-space-size=4` (MB; V8's default 16): a young generation of at most
 * 12 MB instead of 48 (three semi-spaces); a 1,000,000-record load peaked at
 * 229–240 MB with it, 262 MB without (packages/sync/README.md, "Memory").
 * `entry` in plain JavaScript: the app compiles its own source (the worker's
 * `start.mjs`: tsx's loader would stay resident, about 40 MB of its RSS).
 */
export const APPS = [
  { name: 'salesforce-sandbox', dir: 'apps/sandbox-salesforce', groups: ['sandboxes'] },
  { name: 'brevo-sandbox', dir: 'apps/sandbox-brevo', groups: ['sandboxes'] },
  { name: 'bff', dir: 'apps/bff', groups: ['product'] },
  { name: 'worker', dir: 'apps/worker', groups: ['product'], entry: 'start.mjs', nodeArgs: ['--max-old-space-size=192', '--max-semi-space-size=4'] },
  { name: 'web', dir: 'apps/web', groups: ['product'], entry: 'scripts/serve.ts' },
  { name: 'host-demo', dir: 'apps/host-demo', groups: ['product'] },
];

export const DEFAULT_PORTS = {
  devdb: 27027,
  salesforce: 4010,
  brevo: 4020,
  bff: 4000,
  web: 5180,
  host: 5170,
  /** The worker's `/metrics` and `/healthz`. A plan without it (the browser tests', the benchmarks') starts workers that open no port. */
  workerMetrics: 4001,
};

/** The port plan from the environment (the variables each app reads), else the defaults. */
export function portsFromEnvironment(source = process.env) {
  const read = (name, fallback) => (source[name] ? Number(source[name]) : fallback);
  return {
    devdb: read('DEVDB_PORT', DEFAULT_PORTS.devdb),
    salesforce: read('SALESFORCE_SANDBOX_PORT', DEFAULT_PORTS.salesforce),
    brevo: read('BREVO_SANDBOX_PORT', DEFAULT_PORTS.brevo),
    bff: read('BFF_PORT', DEFAULT_PORTS.bff),
    web: read('WEB_PORT', DEFAULT_PORTS.web),
    host: read('HOST_DEMO_PORT', DEFAULT_PORTS.host),
    workerMetrics: read('WORKER_METRICS_PORT', DEFAULT_PORTS.workerMetrics),
  };
}

/**
 * Environment shared by every app of one running stack. Apps read only the
 * variables they know; browsers reach everything on `localhost`, so origins
 * use that name (an origin on 127.0.0.1 would be another origin).
 */
export function stackEnvironment(ports, mongoUri) {
  const url = (port) => `http://localhost:${port}`;
  const bff = url(ports.bff);
  return {
    ...(mongoUri ? { MONGODB_URI: mongoUri } : {}),
    SALESFORCE_SANDBOX_PORT: String(ports.salesforce),
    SALESFORCE_SANDBOX_PUBLIC_URL: url(ports.salesforce),
    SALESFORCE_SANDBOX_REDIRECT_URIS: `${bff}/api/v1/oauth/salesforce/callback`,
    BREVO_SANDBOX_PORT: String(ports.brevo),
    BREVO_SANDBOX_PUBLIC_URL: url(ports.brevo),
    BFF_PORT: String(ports.bff),
    BFF_PUBLIC_URL: bff,
    SALESFORCE_LOGIN_URL: url(ports.salesforce),
    BREVO_API_URL: `${url(ports.brevo)}/v3`,
    ALLOWED_HOST_ORIGINS: url(ports.host),
    WEB_ORIGINS: url(ports.web),
    WEB_PORT: String(ports.web),
    WEB_PUBLIC_URL: url(ports.web),
    HOST_DEMO_PORT: String(ports.host),
    ...(ports.workerMetrics === undefined ? {} : { WORKER_METRICS_PORT: String(ports.workerMetrics) }),
  };
}

export function appEntry(app) {
  return join(repoRoot, app.dir, app.entry ?? 'src/main.ts');
}

/** The Node arguments that start an app as its `npm start` does; `extraNodeArgs` go before the entry. */
export function appArgs(app, extraNodeArgs = []) {
  const entry = appEntry(app);
  const compiler = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return [...(app.nodeArgs ?? []), ...extraNodeArgs, ...compiler, entry];
}

export function isBuilt(app) {
  return existsSync(appEntry(app));
}

/** @typedef {Omit<typeof DEFAULT_PORTS, 'workerMetrics'> & { workerMetrics?: number }} PortPlan */

/**
 * Starts the database (unless `mongoUri` is given) and the selected apps.
 * @param {import('./process-group.mjs').ProcessGroup} group
 * @param {{ only?: 'devdb' | 'sandboxes' | 'product', ports?: PortPlan, mongoUri?: string, dataDir?: string, env?: Record<string, string> }} options
 * @returns {Promise<{ started: string[], ports: PortPlan, env: Record<string, string> }>}
 */
export async function startStack(group, options = {}) {
  const { only, ports = portsFromEnvironment(), dataDir = join(repoRoot, '.data', 'devdb') } = options;
  const started = [];
  let mongoUri = options.mongoUri ?? process.env.MONGODB_URI;

  if (!mongoUri && only !== 'sandboxes') {
    await group.start({
      name: 'devdb',
      command: ensureDevdbBinary(),
      // FerretDB logs every refused command (e.g. mongoose's createCollection of an existing one) as a warning.
      args: ['-port', String(ports.devdb), '-data', dataDir, '-log-level', 'error'],
      ready: /devdb ready on/,
    });
    started.push('devdb');
    mongoUri = `mongodb://127.0.0.1:${ports.devdb}/contact_sync`;
  }

  const env = { ...stackEnvironment(ports, mongoUri), ...options.env };
  if (only !== 'devdb') {
    for (const app of APPS) {
      if (only && !app.groups.includes(only)) continue;
      if (!isBuilt(app)) continue;
      await group.start({
        name: app.name,
        command: process.execPath,
        args: appArgs(app),
        cwd: join(repoRoot, app.dir),
        env,
        ready: / ready on /,
      });
      started.push(app.name);
    }
  }
  return { started, ports, env };
}
