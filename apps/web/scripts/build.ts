// Builds the module bundle and the iframe page, then prints their gzipped sizes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { ZOD_STUB_MARKER } from '../vite.config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_BYTES = 100 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function report(label: string, dir: string): boolean {
  const rows = files(dir)
    .filter((path) => /\.(js|css|html)$/.test(path))
    .map((path) => {
      const content = readFileSync(path);
      return { path: relative(root, path), raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
    });
  for (const row of rows) {
    if (readFileSync(join(root, row.path), 'utf8').includes(ZOD_STUB_MARKER)) {
      console.error(`  ✗ ${row.path}: a zod schema of the rules package survived tree-shaking (see vite.config.ts)`);
      return false;
    }
  }
  const total = rows.reduce((sum, row) => sum + row.gzip, 0);
  console.log(`\n${label}`);
  for (const row of rows) console.log(`  ${row.path.padEnd(48)} ${(row.raw / 1024).toFixed(1).padStart(7)} kB   gzip ${(row.gzip / 1024).toFixed(1).padStart(6)} kB`);
  const ok = total <= BUDGET_BYTES;
  console.log(`  total gzip ${(total / 1024).toFixed(1)} kB (budget ${BUDGET_BYTES / 1024} kB) ${ok ? '✓' : '✗ over budget'}`);
  return ok;
}

await build({ root, mode: 'module', logLevel: 'warn' });
await build({ root, mode: 'iframe', logLevel: 'warn' });
const moduleOk = report('module entry (dist/module)', join(root, 'dist/module'));
const iframeOk = report('iframe page (dist/iframe)', join(root, 'dist/iframe'));
if (!moduleOk || !iframeOk) process.exitCode = 1;
