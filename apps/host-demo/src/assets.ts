import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface Assets {
  hostJs: string;
  hostCss: string;
}

/** The shell's browser script (with the contract's host client) bundled once at start-up. */
export async function buildAssets(): Promise<Assets> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./browser/host-shell.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('host-demo: the browser bundle is empty');
  const hostCss = await readFile(fileURLToPath(new URL('./browser/host.css', import.meta.url)), 'utf8');
  return { hostJs: output.text, hostCss };
}
