// Builds (once, cached by source hash) and starts the local MongoDB-compatible
// server. Plain JavaScript without dependencies: the root scripts use it before
// `pnpm install` has run, and the test setup uses it too.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const sourceDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(sourceDir, '../..');
const cacheDir = join(repoRoot, '.cache', 'devdb');
const binaryPath = join(cacheDir, 'devdb');
const stampPath = join(cacheDir, 'source.sha256');
const SOURCES = ['main.go', 'go.mod', 'go.sum'];

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update(readFileSync(join(sourceDir, file)));
  return hash.digest('hex');
}

/** Returns the devdb binary, building it with Go when missing or stale. */
export function ensureDevdbBinary({ log = console.log } = {}) {
  const hash = sourceHash();
  if (existsSync(binaryPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash) {
    return binaryPath;
  }
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'Go (>= 1.24) is needed to build the local database (tools/devdb). ' +
        'Install Go, or set MONGODB_URI to use an existing MongoDB server.',
    );
  }
  log('building the local database (tools/devdb, first run only: about a minute)...');
  mkdirSync(cacheDir, { recursive: true });
  // Build to a private path and rename, so concurrent callers never run a half-written binary.
  const partial = `${binaryPath}.${process.pid}.partial`;
  const build = spawnSync('go', ['build', '-trimpath', '-o', partial, '.'], {
    cwd: sourceDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (build.status !== 0) throw new Error(`building tools/devdb failed (go build exited with ${build.status})`);
  renameSync(partial, binaryPath);
  writeFileSync(stampPath, hash);
  return binaryPath;
}

/** A free TCP port on 127.0.0.1, for servers started by tests. */
export function findFreePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts devdb and resolves once it accepts connections.
 * @returns {Promise<{ uri: string, port: number, process: import('node:child_process').ChildProcess, stop: () => Promise<void> }>}
 */
export async function startDevdb({ port = 27027, dataDir = join(repoRoot, '.data', 'devdb'), logLevel = 'warn', log = console.log } = {}) {
  const binary = ensureDevdbBinary({ log });
  const actualPort = port === 0 ? await findFreePort() : port;
  const child = spawn(binary, ['-port', String(actualPort), '-data', dataDir, '-log-level', logLevel], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
    if (output.length > 20_000) output = output.slice(-20_000);
  };
  child.stderr.on('data', collect);

  await new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devdb did not become ready within 30 s:\n${output}`));
    }, 30_000);
    child.stdout.on('data', (chunk) => {
      collect(chunk);
      if (output.includes('devdb ready on')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`devdb exited with code ${code} before it was ready:\n${output}`));
    });
  });

  const stop = () =>
    new Promise((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolveStop();
      });
      child.kill('SIGTERM');
    });

  return { uri: `mongodb://127.0.0.1:${actualPort}/`, port: actualPort, process: child, stop };
}
