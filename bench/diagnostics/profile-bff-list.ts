// Where the BFF's own CPU goes on GET /api/v1/integrations: a BFF of its own
// started with --cpu-prof on the benchmark data, a few requests one at a time
// (or, with --load <seconds>, 100 connections of autocannon as in the benchmark),
// then the profile's self time summed by function and by package.
//   node --import tsx bench/diagnostics/profile-bff-list.ts [requests]
//   node --import tsx bench/diagnostics/profile-bff-list.ts --load 5
// The .cpuprofile stays under artifacts/bench-profiles/ (open it in Chrome DevTools).
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.mjs';
import { hostToken } from '../support/host-token.ts';
import { describeLoad, measureLoad } from '../support/load.ts';
import { processCpuMs } from '../support/machine.ts';
import { DEFAULT_SEED, ensureSeeded } from '../support/seed-integrations.ts';
import { BenchStack } from '../support/stack.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const loadSeconds = process.argv[2] === '--load' ? Number(process.argv[3] ?? 5) : null;
const requests = loadSeconds === null ? Number(process.argv[2] ?? 3) : 0;
const profileDir = join(repoRoot, 'artifacts', 'bench-profiles');
rmSync(profileDir, { recursive: true, force: true });
mkdirSync(profileDir, { recursive: true });

const stack = await BenchStack.create();
try {
  const services = await stack.services();
  await ensureSeeded(services.mongoUri);
  const bff = await stack.disposableBff('bff-profiled', ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  const headers = { authorization: `Bearer ${await hostToken(DEFAULT_SEED.measuredAccount)}` };
  await (await fetch(`${bff.url}/api/v1/integrations`, { headers })).arrayBuffer(); // warm-up
  const cpuBefore = processCpuMs(bff.pid);
  const started = performance.now();
  let answered = requests;
  if (loadSeconds === null) {
    for (let i = 0; i < requests; i += 1) await (await fetch(`${bff.url}/api/v1/integrations`, { headers })).arrayBuffer();
  } else {
    const load = await measureLoad({ url: `${bff.url}/api/v1/integrations`, connections: 100, durationSeconds: loadSeconds, headers });
    console.log(describeLoad('under load', load));
    answered = load.responses;
  }
  const wall = (performance.now() - started) / answered;
  const cpu = ((processCpuMs(bff.pid) ?? 0) - (cpuBefore ?? 0)) / answered;
  await bff.kill('SIGTERM');
  console.log(`${answered} requests: ${wall.toFixed(2)} ms wall, ${cpu.toFixed(2)} ms BFF CPU per request`);

  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written (did the BFF exit cleanly?)');
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)!.callFrame;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const where = frame.url.replace(/^file:\/\//, '').replace(repoRoot + '/', '');
    const pkg = /node_modules\/\.pnpm\/([^/]+)/.exec(where)?.[1]?.replace(/@\d.*$/, '') ?? (where.startsWith('node:') || where === '' ? frame.functionName || '(native)' : where.split('/').slice(0, 2).join('/'));
    const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + ms);
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${key}`).join('\n');
  console.log(`\nself time by package (whole process life, ${file}):\n${top(selfByPackage, 15)}`);
  console.log(`\nself time by function:\n${top(selfByFunction, 25)}`);
} finally {
  await stack.stop();
}
