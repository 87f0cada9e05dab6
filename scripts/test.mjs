// npm test: installs what is missing, then runs every check in order:
// lint, types, and the vitest suites (unit, component, API, sandbox
// conformance, sync against the sandboxes). Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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

stage('tests');
const reportDir = join(repoRoot, '.cache');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'vitest-report.json');
const vitest = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: repoRoot, stdio: 'inherit' },
);

let summary = '';
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, 'utf8'));
  summary = `${numPassedTests} passed, ${numFailedTests} failed` + (numPendingTests ? `, ${numPendingTests} skipped` : '');
}
console.log(`\nTotal time ${Math.round((Date.now() - started) / 1000)} s`);
if (summary) console.log(`Tests: ${summary}`);
if (vitest.status !== 0) fail('tests failed');
