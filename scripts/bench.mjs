// npm run bench: installs what is missing (as npm test does), then runs the
// TypeScript benchmarks (bench/main.ts) with tsx. Arguments go to bench/main.ts:
//   npm run bench -- --only bff --duration 5
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bootstrap } from './lib/bootstrap.mjs';
import { repoRoot } from './lib/paths.mjs';

try {
  bootstrap();
} catch (error) {
  console.error(`\n✗ ${error.message}`);
  process.exit(1);
}

const result = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'main.ts'), ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
