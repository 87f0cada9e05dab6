// Builds the module bundle and the iframe page, then prints their gzipped sizes against the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { ZOD_STUB_MARKER } from '../vite.config.ts';
import { bundleSizes, gzipAtMount, gzipTotal, MOUNT_BUDGET_BYTES } from './bundle-sizes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kB = (bytes: number) => (bytes / 1024).toFixed(1);

function report(label: string, dir: string, entry: string): boolean {
  const rows = bundleSizes(dir, entry);
  for (const row of rows) {
    if (readFileSync(join(dir, row.file), 'utf8').includes(ZOD_STUB_MARKER)) {
      console.error(`  ✗ ${row.file}: a zod schema of the rules package survived tree-shaking (see vite.config.ts)`);
      return false;
    }
  }
  const atMount = gzipAtMount(rows);
  console.log(`\n${label}`);
  for (const row of rows) {
    console.log(`  ${row.file.padEnd(44)} ${kB(row.rawBytes).padStart(7)} kB   gzip ${kB(row.gzipBytes).padStart(6)} kB${row.atMount ? '' : '   (on demand)'}`);
  }
  const ok = atMount <= MOUNT_BUDGET_BYTES;
  console.log(`  loaded to show the app: gzip ${kB(atMount)} kB (budget ${MOUNT_BUDGET_BYTES / 1024} kB) ${ok ? '✓' : '✗ over budget'}; with what loads on demand ${kB(gzipTotal(rows))} kB`);
  return ok;
}

await build({ root, mode: 'module', logLevel: 'warn' });
await build({ root, mode: 'iframe', logLevel: 'warn' });
const moduleOk = report('module entry (dist/module)', join(root, 'dist/module'), 'contact-sync.js');
const iframeOk = report('iframe page (dist/iframe)', join(root, 'dist/iframe'), 'iframe.html');
if (!moduleOk || !iframeOk) process.exitCode = 1;
