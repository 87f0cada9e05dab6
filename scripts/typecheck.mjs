// Type checks every workspace package with its own tsconfig (the rules package,
// for one, must compile without Node or DOM types); the microfrontend with vue-tsc.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/paths.mjs';

const PARALLEL = 2;

export function typecheckTargets() {
  const targets = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repoRoot, group)).sort()) {
      const dir = join(group, name);
      if (!existsSync(join(repoRoot, dir, 'tsconfig.json')) || !hasSources(join(repoRoot, dir, 'src'))) continue;
      const hasVue = existsSync(join(repoRoot, dir, 'src', 'app'));
      targets.push({ dir, tool: name === 'web' || hasVue ? 'vue-tsc' : 'tsc' });
    }
  }
  // Browser tests: checked with Node and DOM types (page.evaluate runs in the page).
  if (hasSources(join(repoRoot, 'e2e'))) targets.push({ dir: 'e2e', tool: 'tsc' });
  if (hasSources(join(repoRoot, 'bench'))) targets.push({ dir: 'bench', tool: 'tsc' });
  return targets;
}

/** Apps and packages that have no code yet are skipped (tsc fails on "no inputs"). */
function hasSources(srcDir) {
  return existsSync(srcDir) && readdirSync(srcDir, { recursive: true }).some((file) => /\.(ts|vue)$/.test(String(file)));
}

function check({ dir, tool }) {
  return new Promise((resolve) => {
    const local = join(repoRoot, dir, 'node_modules', '.bin', tool);
    const bin = existsSync(local) ? local : join(repoRoot, 'node_modules', '.bin', tool);
    const child = spawn(bin, ['--noEmit', '-p', join(dir, 'tsconfig.json')], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ dir, tool, ok: false, output: error.message }));
    child.on('exit', (code) => resolve({ dir, tool, ok: code === 0, output }));
  });
}

export async function typecheck() {
  const queue = typecheckTargets();
  const failures = [];
  const workers = Array.from({ length: PARALLEL }, async () => {
    for (let target = queue.shift(); target; target = queue.shift()) {
      const result = await check(target);
      console.log(`${result.ok ? '✓' : '✗'} ${result.tool} ${result.dir}`);
      if (!result.ok) failures.push(result);
    }
  });
  await Promise.all(workers);
  for (const failure of failures) console.error(`\n${failure.dir}:\n${failure.output}`);
  return failures.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit((await typecheck()) ? 0 : 1);
}
