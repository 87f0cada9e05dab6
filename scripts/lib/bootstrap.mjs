// "Install what is missing": dependencies when the lockfile or a manifest
// changed since the last install, and the local database binary when it is
// needed (no MONGODB_URI) and missing or stale.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevdbBinary } from '../../tools/devdb/launch.mjs';
import { runPnpm } from './pnpm.mjs';
import { repoRoot } from './paths.mjs';

const stampPath = join(repoRoot, 'node_modules', '.contact-sync-install.sha256');

function manifestsHash() {
  const hash = createHash('sha256');
  const files = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'tools/devdb/package.json'];
  for (const group of ['apps', 'packages']) {
    for (const name of readdirSync(join(repoRoot, group)).sort()) {
      const manifest = join(group, name, 'package.json');
      if (existsSync(join(repoRoot, manifest))) files.push(manifest);
    }
  }
  for (const file of files) hash.update(file).update(readFileSync(join(repoRoot, file)));
  return hash.digest('hex');
}

export function ensureDependencies() {
  const hash = manifestsHash();
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash) return;
  console.log('installing dependencies (pnpm install --frozen-lockfile)...');
  const result = runPnpm(['install', '--frozen-lockfile'], { cwd: repoRoot });
  if (result.status !== 0) throw new Error(`pnpm install failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stampPath, hash);
}

export function ensureLocalDatabase() {
  if (process.env.MONGODB_URI) return;
  ensureDevdbBinary();
}

export function bootstrap() {
  clearProxyVariables();
  ensureDependencies();
  ensureLocalDatabase();
}

/**
 * Everything this project talks to locally is on loopback, and jsforce sends
 * every request (localhost too) through http(s)_proxy while ignoring NO_PROXY.
 */
export function clearProxyVariables() {
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) {
    delete process.env[name];
  }
}
