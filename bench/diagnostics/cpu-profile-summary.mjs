// Summarizes a .cpuprofile (from cpu-profile.mjs or `node --cpu-prof`): self
// time by module (package, or the workspace's file), the top functions by self
// time, and the top functions by total time (the samples with the function
// anywhere on their stack: what it and everything it called took), over the
// whole profile or the seconds [from, to] after it started (e.g. only a
// benchmark's measurement window).
//
//   node bench/diagnostics/cpu-profile-summary.mjs <file.cpuprofile> [fromSeconds toSeconds] [top]
import { readFileSync } from 'node:fs';

const [file, fromArg, toArg, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.mjs <file.cpuprofile> [fromSeconds toSeconds] [top]');
/** @type {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
const fromUs = fromArg === undefined ? -Infinity : Number(fromArg) * 1e6;
const toUs = toArg === undefined ? Infinity : Number(toArg) * 1e6;
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** Where a frame's code lives: a package (pnpm's store path shortened), the workspace's file, or V8's own category. */
function moduleOf(url) {
  if (!url) return '(native: no script)';
  const pkg = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  const workspace = url.match(/\/((?:apps|packages|bench)\/[^/]+)\//);
  return workspace ? workspace[1] : url;
}

/** A function as the summary names it: its name, and where it is (package-relative, or the workspace's file) with its line. */
function keyOf(callFrame) {
  const name = callFrame.functionName || '(anonymous)';
  return callFrame.url ? `${name} ${callFrame.url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^file:\/\/.*?\/(apps|packages|bench)\//, '$1/')}:${callFrame.lineNumber + 1}` : name;
}

const selfUs = new Map();
const totalUs = new Map();
const moduleUs = new Map();
let time = 0;
let total = 0;
for (let i = 0; i < profile.samples.length; i += 1) {
  time += profile.timeDeltas[i];
  const delta = profile.timeDeltas[i + 1] ?? 0;
  if (time < fromUs || time > toUs) continue;
  const { callFrame } = byId.get(profile.samples[i]);
  const name = callFrame.functionName || '(anonymous)';
  const key = keyOf(callFrame);
  selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
  // Each function on the sample's stack once (a recursive one is not counted twice).
  const onStack = new Set();
  for (let id = profile.samples[i]; id !== undefined; id = parentOf.get(id)) onStack.add(keyOf(byId.get(id).callFrame));
  for (const frame of onStack) totalUs.set(frame, (totalUs.get(frame) ?? 0) + delta);
  const module = ['(idle)', '(program)', '(garbage collector)'].includes(name) ? name : moduleOf(callFrame.url);
  moduleUs.set(module, (moduleUs.get(module) ?? 0) + delta);
  total += delta;
}
const busy = total - (moduleUs.get('(idle)') ?? 0);
const line = ([key, us]) => `${(us / 1e3).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle (percentages of that)`);
console.log('\nself time by module:');
for (const entry of [...moduleUs].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(entry));
console.log('\ntop functions by self time:');
for (const entry of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(entry));
console.log('\ntop functions by total time (idle and the root left out):');
const notFrames = new Set(['(root)', '(idle)', '(program)', '(garbage collector)']);
for (const entry of [...totalUs].filter(([key]) => !notFrames.has(key)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(entry));
