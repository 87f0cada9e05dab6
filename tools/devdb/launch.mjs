// Builds (once, cached by source hash) and starts the local MongoDB-compatible
// server. Plain JavaScript without dependencies: the root scripts use it before
// `pnpm install` has run, and the test setup uses it too.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const sourceDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(sourceDir, '../..');
const cacheDir = join(repoRoot, '.cache', 'devdb');
const binaryPath = join(cacheDir, 'devdb');
const stampPath = join(cacheDir, 'source.sha256');
const SOURCES = ['main.go', 'go.mod', 'go.sum'];

/**
 * FerretDB 1.24's SQLite backend finds a document by `_id` with the path
 * `_ferretdb_sjson->'$._id'`, while it builds the unique `_id` index on
 * `_ferretdb_sjson->"_id"`. SQLite matches index expressions by their text, so
 * every read, update and delete by `_id` scanned the whole table (EXPLAIN QUERY
 * PLAN: SCAN). Measured on 100,000 documents: updateOne or deleteOne by `_id`
 * 1.3–1.7 s each, about 3 ms with the path spelt like the index. The build uses
 * FerretDB's source with that one constant changed (same meaning: both paths
 * name the top-level `_id`).
 */
const FERRETDB_PATCH = {
  module: 'github.com/FerretDB/FerretDB',
  file: 'internal/backends/sqlite/metadata/metadata.go',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + "->\\"_id\\""`,
};

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update(readFileSync(join(sourceDir, file)));
  hash.update(JSON.stringify(FERRETDB_PATCH));
  return hash.digest('hex');
}

/** Copies a directory tree with fresh (writable) files: the Go module cache is read-only. */
function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) writeFileSync(join(to, entry.name), readFileSync(join(from, entry.name)));
  }
}

/** A private copy of FerretDB's source with FERRETDB_PATCH applied, and a go.mod that builds devdb against it. */
function preparePatchedBuild(workDir) {
  const download = spawnSync('go', ['mod', 'download', '-json', FERRETDB_PATCH.module], { cwd: sourceDir, encoding: 'utf8' });
  if (download.status !== 0) throw new Error(`go mod download ${FERRETDB_PATCH.module} failed:\n${download.stderr}${download.stdout}`);
  const moduleDir = join(workDir, 'ferretdb');
  copyTree(JSON.parse(download.stdout).Dir, moduleDir);
  const target = join(moduleDir, FERRETDB_PATCH.file);
  const original = readFileSync(target, 'utf8');
  if (!original.includes(FERRETDB_PATCH.from)) throw new Error(`${FERRETDB_PATCH.file} no longer holds ${FERRETDB_PATCH.from}: review FERRETDB_PATCH`);
  writeFileSync(target, original.replace(FERRETDB_PATCH.from, FERRETDB_PATCH.to));
  const modfile = join(workDir, 'go.mod');
  writeFileSync(modfile, `${readFileSync(join(sourceDir, 'go.mod'), 'utf8')}\nreplace ${FERRETDB_PATCH.module} => ${moduleDir}\n`);
  writeFileSync(join(workDir, 'go.sum'), readFileSync(join(sourceDir, 'go.sum')));
  return modfile;
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
  // Build in a private directory to a private path and rename, so concurrent callers never run a half-written binary.
  const workDir = join(cacheDir, `build.${process.pid}`);
  const partial = `${binaryPath}.${process.pid}.partial`;
  rmSync(workDir, { recursive: true, force: true });
  try {
    const modfile = preparePatchedBuild(workDir);
    const build = spawnSync('go', ['build', '-trimpath', '-modfile', modfile, '-o', partial, '.'], {
      cwd: sourceDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    if (build.status !== 0) throw new Error(`building tools/devdb failed (go build exited with ${build.status})`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
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
