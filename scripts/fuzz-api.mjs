// Property-based fuzz of the BFF from its own OpenAPI document, with
// schemathesis (PyPI). Starts a throw-away database, both sandboxes and the
// BFF on free ports, creates integrations in several states so path
// parameters name real resources, then runs `schemathesis run` with the
// checks below and exits non-zero on any finding.
//
//   node scripts/fuzz-api.mjs            long form (npm run test:fuzz)
//   node scripts/fuzz-api.mjs --short    the budget npm test uses (≤ 60 s)
//   options: --max-examples N  --max-time S  --seed N  --keep (leave the stack running until Ctrl-C)
//
// The virtualenv lives in .cache/fuzz-venv, built from the pinned
// tools/fuzz/requirements.txt and rebuilt when that file changes. Reports
// (JUnit, and a pytest file reproducing each failure) go to artifacts/fuzz/,
// process output to artifacts/fuzz/logs/.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clearProxyVariables } from './lib/bootstrap.mjs';
import { repoRoot } from './lib/paths.mjs';
import { ProcessGroup } from './lib/process-group.mjs';
import { APPS, appEntry, startStack } from './lib/stack.mjs';
import { findFreePort } from '../tools/devdb/launch.mjs';

/**
 * The checks: no 5xx; every response as documented (status, content type,
 * headers, body); invalid input refused; authentication never ignored; a
 * deleted integration gone and a created one readable (stateful phase).
 */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'ignored_auth',
  'use_after_free',
  'ensure_resource_availability',
];

const BUDGETS = {
  // npm test: every operation, few examples each, hard stop well under a minute.
  short: { maxExamples: 12, maxTime: 30 },
  long: { maxExamples: 200, maxTime: 600 },
};

const JWT = { secret: 'fuzz-host-jwt-secret-0123456789abcdef', issuer: 'brevo-host-demo', audience: 'contact-sync-bff' };
const ADMIN_SECRET = 'fuzz-admin-secret-0123456789abcdef0123';
const ACCOUNT_ID = 'acc_demo';

const venvDir = join(repoRoot, '.cache', 'fuzz-venv');
const requirements = join(repoRoot, 'tools', 'fuzz', 'requirements.txt');
const outDir = join(repoRoot, 'artifacts', 'fuzz');

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    'max-examples': { type: 'string' },
    'max-time': { type: 'string' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const budget = { ...BUDGETS[args.short ? 'short' : 'long'] };
if (args['max-examples']) budget.maxExamples = Number(args['max-examples']);
if (args['max-time']) budget.maxTime = Number(args['max-time']);

clearProxyVariables();
const started = Date.now();
const log = (line) => console.log(`fuzz: ${line}`);

// ── the virtualenv ──────────────────────────────────────────────────────────

function python() {
  for (const candidate of ['python3.12', 'python3.11', 'python3.10', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print(sys.version_info >= (3, 10))'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  throw new Error('schemathesis needs Python ≥ 3.10 (python3) with the venv module; none found on PATH');
}

/** Builds .cache/fuzz-venv from the pinned requirements unless it already matches them. */
export function ensureVenv() {
  const stamp = join(venvDir, '.requirements.sha256');
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const bin = join(venvDir, 'bin', 'schemathesis');
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return bin;
  log('building .cache/fuzz-venv from tools/fuzz/requirements.txt...');
  rmSync(venvDir, { recursive: true, force: true });
  const run = (command, commandArgs) => {
    const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed (exit ${result.status ?? result.signal})`);
  };
  run(python(), ['-m', 'venv', venvDir]);
  run(join(venvDir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--no-deps', '-r', requirements]);
  writeFileSync(stamp, hash);
  return bin;
}

// ── talking to the BFF ─────────────────────────────────────────────────────

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The host token the BFF accepts (as @contact-sync/api/host-token mints it). */
function hostToken() {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: 'fuzz-user', accountId: ACCOUNT_ID, plan: 'BrevoPlus', email: 'fuzz@acme.test', locale: 'en', iss: JWT.issuer, aud: JWT.audience, iat: now, nbf: now, exp: now + 240 };
  const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', JWT.secret).update(input).digest('base64url')}`;
}

async function api(bffUrl, method, path, body) {
  const response = await fetch(`${bffUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${hostToken()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The Salesforce popup over HTTP: authorize page, login form, then the opener's completion with the code and state Salesforce redirected with. */
async function connectSalesforce(bffUrl, id) {
  const { authorizeUrl } = await api(bffUrl, 'POST', `/api/v1/integrations/${id}/salesforce/connect`);
  const page = await (await fetch(authorizeUrl)).text();
  const fields = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  const body = new URLSearchParams({ ...fields, username: 'demo@acme.test', password: 'demo1234' });
  const login = await fetch(new URL('/services/oauth2/authorize', authorizeUrl), { method: 'POST', body, redirect: 'manual' });
  const location = login.headers.get('location');
  if (!location) throw new Error(`Salesforce sandbox login failed: ${login.status}`);
  const redirect = new URL(location);
  const [code, state] = [redirect.searchParams.get('code'), redirect.searchParams.get('state')];
  if (!code || !state) throw new Error(`Salesforce sandbox login did not authorize: ${location}`);
  await api(bffUrl, 'POST', `/api/v1/integrations/${id}/salesforce/complete`, { state, code });
}

/**
 * Integrations in every wizard state, and separate ones for the delete
 * operation (which would otherwise take the others away early in the run).
 */
async function seed(bffUrl) {
  const create = async (name, kind = 'salesforce-contacts') => (await api(bffUrl, 'POST', '/api/v1/integrations', { kind, name })).id;
  const draft = await create('Fuzz draft');
  const connected = await create('Fuzz connected', 'salesforce-leads');
  await connectSalesforce(bffUrl, connected);
  const consented = await create('Fuzz consented');
  await connectSalesforce(bffUrl, consented);
  await api(bffUrl, 'PUT', `/api/v1/integrations/${consented}/consent`, { optIn: true });
  const deletable = [await create('Fuzz delete 1'), await create('Fuzz delete 2'), await create('Fuzz delete 3')];
  return { live: [draft, connected, consented], deletable };
}

/**
 * The BFF's own document, with the integration id narrowed to the seeded ids:
 * positive cases then reach real integrations, negative ones (any other
 * string) the not-found path.
 */
function pointAtSeededIds(document, ids) {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'path' || parameter.name !== 'id' || !path.startsWith('/api/v1/integrations/')) continue;
        const enumValues = method === 'delete' ? ids.deletable : ids.live;
        parameter.schema = { ...parameter.schema, enum: enumValues };
        delete parameter.schema.example;
      }
    }
  }
  return document;
}

// ── the run ─────────────────────────────────────────────────────────────────

async function main() {
  const schemathesis = ensureVenv();
  rmSync(outDir, { recursive: true, force: true });
  const logDir = join(outDir, 'logs');
  mkdirSync(logDir, { recursive: true });

  const ports = {};
  for (const name of ['devdb', 'salesforce', 'brevo', 'bff', 'web', 'host']) ports[name] = await findFreePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'contact-sync-fuzz-db-'));
  const group = new ProcessGroup({
    output: (name, line) => appendFileSync(join(logDir, `${name}.log`), line + '\n'),
    onUnexpectedExit: (name, code, signal) => console.error(`fuzz: ${name} exited (${signal ?? code}); see artifacts/fuzz/logs/${name}.log`),
  });
  const stop = async () => {
    await group.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));

  let status;
  try {
    const external = process.env.MONGODB_URI;
    const mongoUri = external ? databaseOn(external, `fuzz_${Date.now()}`) : undefined;
    const appEnv = {
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      HOST_JWT_SECRET: JWT.secret,
      HOST_JWT_ISSUER: JWT.issuer,
      HOST_JWT_AUDIENCE: JWT.audience,
      ADMIN_SECRET,
      // The fuzz sends far more than a person would; the limiter is tested elsewhere.
      RATE_LIMIT_PER_MINUTE: '100000',
      ADDRESS_RATE_LIMIT_PER_MINUTE: '100000',
      // For the same reason Brevo's limits (on in its sandbox by default) would answer the BFF's Brevo calls with 429s
      // the fuzz is not about; they are tested in apps/sandbox-brevo and packages/sync.
      BREVO_SANDBOX_RATE_LIMITS: 'false',
    };
    const database = await startStack(group, { only: 'devdb', ports, dataDir, mongoUri, env: appEnv });
    const { env } = await startStack(group, { only: 'sandboxes', ports, mongoUri: database.env.MONGODB_URI, env: appEnv });
    const bff = APPS.find((app) => app.name === 'bff');
    await group.start({ name: 'bff', command: process.execPath, args: ['--import', 'tsx', appEntry(bff)], cwd: join(repoRoot, bff.dir), env, ready: / ready on / });
    const bffUrl = env.BFF_PUBLIC_URL;
    log(`stack up in ${seconds(started)} s (BFF ${bffUrl})`);

    const ids = await seed(bffUrl);
    const document = await (await fetch(`${bffUrl}/api/v1/openapi.json`)).json();
    const schemaFile = join(outDir, 'openapi.json');
    writeFileSync(schemaFile, JSON.stringify(pointAtSeededIds(document, ids), null, 2));

    const fuzzArgs = [
      '--config-file', join(repoRoot, 'tools', 'fuzz', 'schemathesis.toml'),
      'run', schemaFile,
      '--url', bffUrl,
      '--checks', CHECKS.join(','),
      '--max-examples', String(budget.maxExamples),
      '--max-time', String(budget.maxTime),
      '--phases', 'examples,coverage,fuzzing,stateful',
      // One worker: with two threads, CPython 3.11's ast.parse (used by hypothesis to
      // describe filters) fails now and then with "AST constructor recursion depth mismatch".
      '--workers', '1',
      '--request-timeout', '10',
      '--generation-database', 'none',
      '--no-color',
      '--report', 'junit,pytest',
      '--report-dir', outDir,
      ...(args.seed ? ['--seed', args.seed] : []),
    ];
    log(`schemathesis ${fuzzArgs.join(' ')}`);
    status = await run(schemathesis, fuzzArgs, {
      ...process.env,
      SCHEMATHESIS_HOOKS: 'hooks',
      PYTHONPATH: join(repoRoot, 'tools', 'fuzz'),
      FUZZ_JWT_SECRET: JWT.secret,
      FUZZ_JWT_ISSUER: JWT.issuer,
      FUZZ_JWT_AUDIENCE: JWT.audience,
      FUZZ_ADMIN_SECRET: ADMIN_SECRET,
      FUZZ_ACCOUNT_ID: ACCOUNT_ID,
    });
    if (args.keep) {
      log(`stack left running (BFF ${bffUrl}); Ctrl-C to stop`);
      await new Promise(() => undefined);
    }
  } catch (error) {
    console.error(`fuzz: ${error.stack ?? error}`);
    status = 1;
  } finally {
    await stop();
  }
  log(`${status === 0 ? 'no findings' : `FAILED (schemathesis exit ${status}); reports in artifacts/fuzz/`} — ${seconds(started)} s in all`);
  process.exit(status === 0 ? 0 : 1);
}

function run(command, commandArgs, env) {
  return new Promise((resolve) => {
    // schemathesis keeps a cache of past failures (replayed first) in its working directory.
    const cwd = join(repoRoot, '.cache', 'fuzz');
    mkdirSync(cwd, { recursive: true });
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    // Generated values can be megabytes long; the reports keep them whole.
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      const lines = (buffered + chunk.toString()).split('\n');
      buffered = lines.pop();
      for (const line of lines) console.log(presentLine(line));
    });
    child.on('close', (code, signal) => {
      if (buffered) console.log(presentLine(buffered));
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const MAX_LINE = 400;

/**
 * One line of schemathesis output as `npm test` prints it. Generated values can be
 * megabytes long (the reports keep them whole), so long lines are cut. schemathesis
 * closes with a pytest-style banner (`==== 2 warnings in 30.01s ====`); CI reads such a
 * banner as a pytest run that executed no test, so it is printed as a plain line.
 */
function presentLine(line) {
  const closingBanner = /^=+ (.+ in [\d.]+s) =+$/.exec(line.trim());
  if (closingBanner) return `fuzz: schemathesis closed with ${closingBanner[1]}`;
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length - MAX_LINE} more characters)` : line;
}

const seconds = (since) => Math.round((Date.now() - since) / 1000);

function databaseOn(uri, name) {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

await main();
