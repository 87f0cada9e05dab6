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
const SOURCES = ['main.go', 'go.mod', 'go.sum', 'ferretdb.patch'];
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update(readFileSync(join(sourceDir, file)));
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

/**
 * Applies a unified diff (`diff -ruN` output: `--- a/<path>` or `--- /dev/null` for a new file,
 * `+++ b/<path>`, hunks) to the tree at `root`. Strict: every context and removed line must be
 * exactly where its hunk says, or it throws. A FerretDB upgrade needs the patch made again and
 * reviewed (README.md), never applied approximately.
 */
function applyPatch(patch, root) {
  const lines = patch.split('\n');
  let at = 0;
  while (at < lines.length) {
    if (!lines[at].startsWith('--- ')) {
      at += 1;
      continue;
    }
    const isNew = lines[at] === '--- /dev/null';
    const target = /^\+\+\+ b\/(.+)$/.exec(lines[at + 1] ?? '')?.[1];
    if (!target) throw new Error(`ferretdb.patch line ${at + 2}: expected "+++ b/<path>"`);
    at += 2;
    const path = join(root, target);
    const text = isNew ? '' : readFileSync(path, 'utf8');
    const source = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    const result = [];
    let copied = 0;
    for (let header; (header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(lines[at] ?? '')); ) {
      let [oldLeft, newLeft] = [Number(header[2] ?? 1), Number(header[3] ?? 1)];
      const start = oldLeft === 0 ? Number(header[1]) : Number(header[1]) - 1;
      if (start < copied) throw new Error(`ferretdb.patch: overlapping hunks in ${target}`);
      result.push(...source.slice(copied, start));
      copied = start;
      at += 1;
      while (oldLeft > 0 || newLeft > 0) {
        const line = lines[at] ?? '';
        at += 1;
        if (line.startsWith('\\')) continue; // "\ No newline at end of file"
        const [tag, content] = [line[0], line.slice(1)];
        if (tag === '+') {
          result.push(content);
          newLeft -= 1;
          continue;
        }
        if ((tag !== ' ' && tag !== '-') || source[copied] !== content) {
          throw new Error(`ferretdb.patch does not apply to ${target} at line ${copied + 1}: review it against this FerretDB version`);
        }
        if (tag === ' ') {
          result.push(content);
          newLeft -= 1;
        }
        copied += 1;
        oldLeft -= 1;
      }
    }
    result.push(...source.slice(copied));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${result.join('\n')}\n`);
  }
}

/** A private copy of FerretDB's source with ferretdb.patch applied, and a go.mod that builds devdb against it. */
function preparePatchedBuild(workDir) {
  const download = spawnSync('go', ['mod', 'download', '-json', FERRETDB_MODULE], { cwd: sourceDir, encoding: 'utf8' });
  if (download.status !== 0) throw new Error(`go mod download ${FERRETDB_MODULE} failed:\n${download.stderr}${download.stdout}`);
  const moduleDir = join(workDir, 'ferretdb');
  copyTree(JSON.parse(download.stdout).Dir, moduleDir);
  applyPatch(readFileSync(join(sourceDir, 'ferretdb.patch'), 'utf8'), moduleDir);
  const modfile = join(workDir, 'go.mod');
  writeFileSync(modfile, `${readFileSync(join(sourceDir, 'go.mod'), 'utf8')}\nreplace ${FERRETDB_MODULE} => ${moduleDir}\n`);
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

/** The lowest port the kernel hands out for `listen(0)` and outgoing connections (Linux's ip_local_port_range), else IANA's 49152. */
function ephemeralPortsStart() {
  try {
    return Number.parseInt(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'), 10) || 49_152;
  } catch {
    return 49_152;
  }
}

/** Free ports are taken from here up to the ephemeral range: above the stack's defaults (devdb's 27027 the highest). */
const FREE_PORTS_START = 28_000;

function portIsFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1, for a test's or a benchmark's server started a moment later.
 * Taken below the ephemeral range: a port from `listen(0)`
 * is one the kernel may give, in that moment, to any outgoing connection's local end (the browser tests' stack once
 * failed on EADDRINUSE so, its sandboxes' readiness checks and database connections opening sockets while it started).
 * A port below that range is never handed out by the kernel; it is taken at random, and checked free.
 */
export async function findFreePort() {
  const end = ephemeralPortsStart();
  if (end > FREE_PORTS_START + 100) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const port = FREE_PORTS_START + Math.floor(Math.random() * (end - FREE_PORTS_START));
      if (await portIsFree(port)) return port;
    }
  }
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
 * Starts devdb and resolves once it accepts connections. `onExit` is told when devdb ends without `stop()` (killed,
 * crashed, out of memory): why, and its last output, which is otherwise kept nowhere.
 * @returns {Promise<{ uri: string, port: number, process: import('node:child_process').ChildProcess, stop: () => Promise<void> }>}
 */
export async function startDevdb({ port = 27027, dataDir = join(repoRoot, '.data', 'devdb'), logLevel = 'warn', log = console.log, onExit } = {}) {
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

  let stopping = false;
  // 'close', not 'exit': its output streams are read to their end first (a Go panic's last lines).
  child.once('close', (code, signal) => {
    if (!stopping) onExit?.(`devdb on port ${actualPort} exited (${signal ? `signal ${signal}` : `code ${code}`}); its last output:\n${output || '(none)'}`);
  });

  const stop = () =>
    new Promise((resolveStop) => {
      stopping = true;
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
