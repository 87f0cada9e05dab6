// What one cached answer of #5 costs the BFF against bare Express answering the
// same bytes: both under the benchmark's load (100 connections of autocannon on
// GET /api/v1/integrations), in alternating rounds, each process with
// `loop-stats.mjs` preloaded and framed on the measurement by SIGUSR2. Per
// round: throughput, p50/p99, CPU per response, event-loop delay, GC pauses.
//   node --import tsx bench/diagnostics/bff-load-anatomy.ts [--rounds 3] [--seconds 8]
// Run it under the benchmark lock (`flock /work/bench.lock …`): it is a load test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../scripts/lib/paths.mjs';
import { findFreePort } from '../../tools/devdb/launch.mjs';
import { hostToken } from '../support/host-token.ts';
import { measureLoad, type LoadResult } from '../support/load.ts';
import { DEFAULT_SEED, ensureSeeded } from '../support/seed-integrations.ts';
import { BenchStack } from '../support/stack.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '8' } } });
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const preload = join(repoRoot, 'bench', 'diagnostics', 'loop-stats.mjs');
const statsDir = join(repoRoot, 'artifacts', 'loop-stats');

interface WindowStats {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  gc: Record<string, { count: number; totalMs: number; maxMs: number }>;
}

/** The window the process wrote on SIGUSR2 (the newest of its files). */
async function frame(pid: number): Promise<WindowStats> {
  mkdirSync(statsDir, { recursive: true });
  const before = new Set(readdirSync(statsDir).filter((name) => name.startsWith(`${pid}-`)));
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 5_000; waited += 20) {
    const file = readdirSync(statsDir).find((name) => name.startsWith(`${pid}-`) && !before.has(name));
    if (file) return JSON.parse(readFileSync(join(statsDir, file), 'utf8')) as WindowStats;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid} wrote no loop stats (is loop-stats.mjs preloaded?)`);
}

async function measured(pid: number, url: string, headers: Record<string, string>): Promise<{ load: LoadResult; stats: WindowStats }> {
  await measureLoad({ url, connections: 100, durationSeconds: 2, headers });
  await frame(pid);
  const load = await measureLoad({ url, connections: 100, durationSeconds: seconds, headers });
  return { load, stats: await frame(pid) };
}

function describe(label: string, { load, stats }: { load: LoadResult; stats: WindowStats }): string {
  const cpu = stats.cpuUserMs + stats.cpuSystemMs;
  const gcMs = Object.values(stats.gc).reduce((sum, kind) => sum + kind.totalMs, 0);
  const gcMax = Math.max(0, ...Object.values(stats.gc).map((kind) => kind.maxMs));
  const kinds = Object.entries(stats.gc)
    .map(([kind, { count, totalMs, maxMs }]) => `${kind} ${count}× ${totalMs.toFixed(0)} ms (max ${maxMs.toFixed(1)})`)
    .join(', ');
  const perResponse = (value: number) => (value / Math.max(1, load.responses)).toFixed(3);
  const { p50, p99, max } = stats.eventLoopDelayMs;
  return (
    `${label.padEnd(12)} ${String(load.requestsPerSecond).padStart(7)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, max ${load.maxMs} ms; ` +
    `CPU ${perResponse(cpu)} ms/response (user ${perResponse(stats.cpuUserMs)}, system ${perResponse(stats.cpuSystemMs)}); ` +
    `loop delay p50 ${p50} / p99 ${p99} / max ${max} ms; GC ${perResponse(gcMs)} ms/response, longest ${gcMax.toFixed(1)} ms [${kinds}]`
  );
}

function startBare(port: number, bodyFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', preload, '--import', 'tsx', join(repoRoot, 'bench', 'support', 'bare-express.ts')], {
    cwd: repoRoot,
    env: { ...process.env, BARE_EXPRESS_PORT: String(port), BARE_EXPRESS_BODY_FILE: bodyFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (/ ready on /.test(chunk.toString())) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`bare Express exited (${code})`)));
  });
}

rmSync(statsDir, { recursive: true, force: true });
const stack = await BenchStack.create();
const bodyDir = mkdtempSync(join(tmpdir(), 'contact-sync-anatomy-'));
let bare: ChildProcess | undefined;
try {
  const services = await stack.services();
  await ensureSeeded(services.mongoUri);
  const headers = { authorization: `Bearer ${await hostToken(DEFAULT_SEED.measuredAccount)}` };
  const bff = await stack.disposableBff('bff-anatomy', ['--import', preload]);
  const url = `${bff.url}/api/v1/integrations`;
  const answer = await fetch(url, { headers });
  if (!answer.ok) throw new Error(`the BFF answered ${answer.status}`);
  const bodyFile = join(bodyDir, 'integrations.json');
  writeFileSync(bodyFile, Buffer.from(await answer.arrayBuffer()));
  const barePort = await findFreePort();
  bare = await startBare(barePort, bodyFile);
  const bareUrl = `http://127.0.0.1:${barePort}/api/v1/integrations`;
  for (let round = 1; round <= rounds; round += 1) {
    console.log(`round ${round} (load average ${loadavg()[0]!.toFixed(2)})`);
    console.log(`  ${describe('bare Express', await measured(bare.pid!, bareUrl, headers))}`);
    console.log(`  ${describe('BFF', await measured(bff.pid, url, headers))}`);
  }
  console.log(`load average at the end ${loadavg()[0]!.toFixed(2)}`);
  await bff.kill();
} finally {
  bare?.kill('SIGTERM');
  rmSync(bodyDir, { recursive: true, force: true });
  await stack.stop();
}
