// Gzipped sizes of a vite build output, split into what the browser loads to show the app and
// what it loads later, on demand (a dynamic `import()`: the CSV export's papaparse).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface OutputSize {
  file: string;
  rawBytes: number;
  gzipBytes: number;
  /** Loaded to show the app (the entry and what it imports statically); false: only on demand. */
  atMount: boolean;
}

/** The budget of what the browser loads to show the app, each entry (SPEC: ≤ 100 kB gzipped, Vue included). */
export const MOUNT_BUDGET_BYTES = 100 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Files a JS or HTML file loads before it runs: static `import … from`, `import "…"`, `<script src>`, `<link href>`. */
function staticImports(path: string, text: string): string[] {
  const references = [
    ...text.matchAll(/\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']/g),
    ...text.matchAll(/\bexport\s*[\w*{}\s,$]*\s*from\s*["']([^"']+)["']/g),
    ...text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']/g),
  ].map((match) => match[1]!);
  return references.filter((reference) => reference.startsWith('.') || reference.startsWith('/')).map((reference) => resolve(dirname(path), reference.replace(/^\/(?!\/)/, './')));
}

/** Every .js/.css/.html of `dir`, gzipped at level 9, each marked loaded at mount or not (reached from `entry` by static imports). */
export function bundleSizes(dir: string, entry: string): OutputSize[] {
  const all = files(dir).filter((path) => /\.(js|css|html)$/.test(path));
  const byName = new Map(all.map((path) => [path, readFileSync(path)]));
  const atMount = new Set<string>();
  const visit = (path: string) => {
    if (atMount.has(path) || !byName.has(path)) return;
    atMount.add(path);
    for (const next of staticImports(path, byName.get(path)!.toString('utf8'))) {
      // An absolute `/assets/x.js` in the HTML is the output folder's.
      visit(byName.has(next) ? next : join(dir, relative(dirname(join(dir, entry)), next)));
    }
  };
  visit(join(dir, entry));
  return all.map((path) => {
    const content = byName.get(path)!;
    return { file: relative(dir, path), rawBytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length, atMount: atMount.has(path) };
  });
}

export const gzipAtMount = (outputs: readonly OutputSize[]) => outputs.reduce((sum, output) => sum + (output.atMount ? output.gzipBytes : 0), 0);
export const gzipTotal = (outputs: readonly OutputSize[]) => outputs.reduce((sum, output) => sum + output.gzipBytes, 0);
