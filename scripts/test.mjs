// npm test: installs what is missing, then runs every check in order:
// lint, types, the vitest suites (unit, component, API, sandbox conformance,
// sync against the sandboxes), a short property-based fuzz of the API, then
// the browser tests against the whole product. Stops at the first failing
// stage. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from './lib/bootstrap.mjs';
import { repoRoot } from './lib/paths.mjs';
import { typecheck } from './typecheck.mjs';

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const started = Date.now();

function stage(title) {
  console.log(`\n━━ ${title} ${'━'.repeat(Math.max(0, 60 - title.length))}`);
}

function fail(message) {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

try {
  stage('install');
  bootstrap();
} catch (error) {
  fail(error.message);
}

stage('lint');
if (spawnSync(bin('eslint'), ['.', '--max-warnings', '0'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) {
  fail('lint failed');
}
console.log('✓ eslint');

stage('types');
if (!(await typecheck())) fail('type checking failed');

const reportDir = join(repoRoot, '.cache');
mkdirSync(reportDir, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

/** One vitest run; adds its counts to the totals and says whether it passed. */
function runVitest(title, projects) {
  stage(title);
  const report = join(reportDir, `vitest-${projects.join('-')}.json`);
  rmSync(report, { force: true });
  const args = ['run', ...projects.flatMap((name) => ['--project', name]), '--reporter=default', '--reporter=json'];
  const result = spawnSync(bin('vitest'), [...args, `--outputFile.json=${report}`, ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (existsSync(report)) {
    const counts = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += counts.numPassedTests;
    totals.failed += counts.numFailedTests;
    totals.skipped += counts.numPendingTests + counts.numTodoTests;
  }
  return result.status === 0;
}

function summarize() {
  console.log(`\nTotal time ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed` + (totals.skipped ? `, ${totals.skipped} skipped` : ''));
}

if (!runVitest('unit, component, API and sync tests', ['node', 'web'])) {
  summarize();
  fail('tests failed');
}
// The API fuzz starts its own database, sandboxes and BFF, so it runs alone
// here rather than beside the vitest files; `npm run test:fuzz` is the long form.
stage('API fuzz (schemathesis, short)');
if (spawnSync(process.execPath, [join(repoRoot, 'scripts', 'fuzz-api.mjs'), '--short'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) {
  summarize();
  fail('the API fuzz found problems (reports in artifacts/fuzz/)');
}
if (!runVitest('browser tests', ['e2e'])) {
  summarize();
  fail('browser tests failed');
}
summarize();
