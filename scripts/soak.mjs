// npm run test:soak: the long forms of the reliability tests that `npm test`
// runs short, one after the other (the machine has 2 cores): the webhook fuzz
// with many more cases, the sync fault tests with more rounds, then the API
// fuzz's long form. Prints a summary (per part: rounds, duration, pass or
// fail) and exits non-zero when any part failed.
//
//   node scripts/soak.mjs                 every part
//   node scripts/soak.mjs --only sync-faults,sigkill
//   node scripts/soak.mjs --list          the parts and their rounds
//
// Each vitest part reads its rounds from the variables named below; one set in
// the environment wins (SOAK_FAULT_RUNS=30 npm run test:soak). Output of each
// part is shown as it runs; the API fuzz keeps its reports in artifacts/fuzz/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrap } from './lib/bootstrap.mjs';
import { repoRoot } from './lib/paths.mjs';

/**
 * `files` parts are vitest files whose rounds come from the variables named in
 * `rounds` (name → [soak value, what it counts]); the API fuzz is its own
 * script and reports the cases schemathesis generated.
 */
const PARTS = [
  {
    name: 'webhook-fuzz',
    what: 'Brevo webhook receiver fuzzed with the valid secret',
    files: ['apps/bff/src/routes/brevo-webhooks.fuzz.test.ts'],
    rounds: { WEBHOOK_FUZZ_RUNS: [2_000, 'cases per property'] },
  },
  {
    name: 'sync-faults',
    what: '5xx/429, latency spikes and dropped connections during sync',
    files: ['packages/sync/src/faults.test.ts'],
    rounds: { SOAK_FAULT_RUNS: [10, 'incremental runs under latency and drops'] },
  },
  {
    name: 'db-outage',
    what: 'database down 10 s under a worker and a BFF',
    // The BFF's runs once: it has no rounds.
    files: ['apps/worker/src/database-outage.test.ts', 'apps/bff/src/database-outage.test.ts'],
    rounds: { SOAK_DB_OUTAGES: [3, 'outages'] },
  },
  {
    name: 'sigkill',
    what: 'worker SIGKILLed during sync runs',
    files: ['packages/sync/src/sigkill.test.ts'],
    rounds: { SOAK_SIGKILL_RUNS: [5, 'rounds of kills at 2 fixed points'], SOAK_RANDOM_KILLS: [15, 'runs killed at a random step'] },
  },
  {
    name: 'api-fuzz',
    what: "schemathesis from the BFF's OpenAPI document, long form",
    script: 'scripts/fuzz-api.mjs',
  },
];

const { values: args } = parseArgs({ options: { only: { type: 'string' }, list: { type: 'boolean', default: false } } });
/** The part's rounds variables with their values: the soak's, or the environment's when set there. */
function roundsOf(part) {
  return Object.entries(part.rounds ?? {}).map(([variable, [soakValue, unit]]) => {
    const value = process.env[variable];
    if (value === undefined || value === '') return { variable, value: soakValue, unit };
    if (!/^[1-9]\d*$/.test(value)) {
      console.error(`${variable} must be a positive integer, not ${JSON.stringify(value)}`);
      process.exit(2);
    }
    return { variable, value: Number(value), unit };
  });
}
const describeRounds = (rounds) => rounds.map(({ variable, value, unit }) => `${variable}=${value} ${unit}`).join(', ');

if (args.list) {
  for (const part of PARTS) {
    console.log(`${part.name.padEnd(14)} ${part.what}${part.rounds ? ` — ${describeRounds(roundsOf(part))}` : ''}`);
  }
  process.exit(0);
}
const selected = args.only ? args.only.split(',').map((name) => name.trim()) : PARTS.map((part) => part.name);
const unknown = selected.filter((name) => !PARTS.some((part) => part.name === name));
if (unknown.length > 0) {
  console.error(`unknown part(s): ${unknown.join(', ')} (see --list)`);
  process.exit(2);
}

bootstrap();
const reportDir = join(repoRoot, '.cache', 'soak');
mkdirSync(reportDir, { recursive: true });
const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() || 'unknown';
const started = Date.now();
const startLoad = loadAverage();

/** The part's vitest files with its rounds variables set; rounds and test counts for the summary. */
function runVitestPart(part) {
  const rounds = roundsOf(part);
  const report = join(reportDir, `${part.name}.json`);
  rmSync(report, { force: true });
  const result = spawnSync(
    join(repoRoot, 'node_modules', '.bin', 'vitest'),
    ['run', '--project', 'node', ...part.files, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...Object.fromEntries(rounds.map(({ variable, value }) => [variable, String(value)])) } },
  );
  const counts = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : null;
  const tests = counts ? `${counts.numPassedTests}/${counts.numTotalTests} tests passed` : 'no test report';
  return { ok: result.status === 0 && counts?.numFailedTests === 0, rounds: describeRounds(rounds), detail: tests };
}

/** The API fuzz script as `npm run test:fuzz` runs it, its output shown as it comes and kept to read schemathesis's counts. */
async function runScriptPart(part) {
  const child = spawn(process.execPath, [join(repoRoot, part.script)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    output += chunk.toString();
  });
  const status = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const cases = /Test cases:\s*\n\s*([\d,]+) generated/.exec(output)?.[1];
  const scenarios = /Scenarios:\s*([\d,]+)/.exec(output)?.[1];
  return {
    ok: status === 0,
    rounds: cases ? `${cases} cases${scenarios ? `, ${scenarios} stateful scenarios` : ''}` : 'cases not reported',
    detail: status === 0 ? 'no findings' : 'findings: reports in artifacts/fuzz/',
  };
}

const results = [];
for (const part of PARTS.filter((p) => selected.includes(p.name))) {
  console.log(`\n━━ soak: ${part.name} — ${part.what} ${'━'.repeat(Math.max(0, 50 - part.name.length - part.what.length))}`);
  const partStarted = Date.now();
  const outcome = part.files ? runVitestPart(part) : await runScriptPart(part);
  results.push({ name: part.name, seconds: Math.round((Date.now() - partStarted) / 1000), ...outcome });
}

console.log(`\n━━ soak summary (commit ${commit}; load average ${startLoad} → ${loadAverage()})`);
for (const r of results) {
  console.log(`${r.ok ? '✓' : '✗'} ${r.name.padEnd(13)} ${String(r.seconds).padStart(5)} s  ${r.rounds}; ${r.detail}`);
}
const failed = results.filter((r) => !r.ok);
console.log(`Soak: ${results.length - failed.length} passed, ${failed.length} failed — ${Math.round((Date.now() - started) / 1000)} s in all`);
process.exit(failed.length === 0 ? 0 : 1);
