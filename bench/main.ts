// `npm run bench`: every benchmark of issue 7 in order, one table of figures
// against targets, results as JSON under bench-results/. Arguments:
//   --only <names>     some benchmarks, comma-separated (names: see --list)
//   --duration <s>     seconds per load measurement (default 10; 5 while developing)
//   --naive-sample <n> records the naive baseline upserts before extrapolating (default 2,000: ≈ 3.5 min under Brevo's 10/s)
//   --skip-million     no 1,000,000-Contact initial load (≈ 1.5 GB of sandbox memory and several minutes)
//   --fleet-integrations <n>, --fleet-accounts <n>   #7's fleet (default 2,000 over 500 Brevo accounts)
//   --fleet-workers <list>  worker counts #7 measures in turn (default 1,2,4; one of the last count is then SIGKILLed, if 2 or more)
//   --fleet-minutes <n>     minutes #7 measures per worker count after its warm-up (default 5)
//   --fleet-big-load <n>    Contacts of #7's initial load beside the fleet (default 100,000; 0: none)
//   --list             the benchmark names
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../scripts/lib/paths.mjs';
import { bffLoadBenchmark } from './benchmarks/bff-load.ts';
import { DEFAULT_FLEET, fleetBenchmark, type FleetOptions } from './benchmarks/fleet.ts';
import { microfrontendBenchmark } from './benchmarks/microfrontend.ts';
import { changeLatencyBenchmark } from './benchmarks/change-latency.ts';
import { incrementalBenchmark } from './benchmarks/incremental.ts';
import { initialLoadMillionBenchmark } from './benchmarks/initial-load-million.ts';
import { initialLoadBenchmark } from './benchmarks/initial-load.ts';
import { naiveBaselineBenchmark } from './benchmarks/naive-baseline.ts';
import type { BenchContext } from './context.ts';
import { Runner } from './runner.ts';
import { currentCommit, currentLoadAverage, describeMachine } from './support/machine.ts';
import { formatReports, summarize, writeResults } from './support/report.ts';
import { BenchStack } from './support/stack.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    duration: { type: 'string', default: '10' },
    'naive-sample': { type: 'string', default: '2000' },
    'skip-million': { type: 'boolean', default: false },
    'fleet-integrations': { type: 'string', default: String(DEFAULT_FLEET.integrations) },
    'fleet-accounts': { type: 'string', default: String(DEFAULT_FLEET.accounts) },
    'fleet-workers': { type: 'string', default: DEFAULT_FLEET.workers.join(',') },
    'fleet-minutes': { type: 'string', default: String(DEFAULT_FLEET.minutes) },
    'fleet-big-load': { type: 'string', default: String(DEFAULT_FLEET.bigLoad) },
    list: { type: 'boolean', default: false },
  },
});

// jsforce sends even localhost requests through a proxy when these are set (the apps drop them too).
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];

const runner = new Runner<BenchContext>();
runner.register(initialLoadBenchmark).register(naiveBaselineBenchmark).register(incrementalBenchmark).register(changeLatencyBenchmark);
runner.register(bffLoadBenchmark).register(microfrontendBenchmark).register(fleetBenchmark);
// Last: it resets both sandboxes, and the Brevo sandbox then holds a million contacts.
if (!values['skip-million']) runner.register(initialLoadMillionBenchmark);

if (values.list) {
  console.log(runner.names().join('\n'));
  process.exit(0);
}
const loadSeconds = Number(values.duration);
if (!Number.isFinite(loadSeconds) || loadSeconds < 1) throw new Error('--duration takes a number of seconds ≥ 1');
const naiveSample = Number(values['naive-sample']);
if (!Number.isInteger(naiveSample) || naiveSample < 100) throw new Error('--naive-sample takes a number of records ≥ 100');
const whole = (name: string, min: number, max: number) => {
  const value = Number(values[name as keyof typeof values]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} takes a whole number from ${min} to ${max.toLocaleString('en-US')}`);
  return value;
};
const fleetWorkers = values['fleet-workers'].split(',').map(Number);
if (fleetWorkers.some((count) => !Number.isInteger(count) || count < 1 || count > 16)) throw new Error('--fleet-workers takes worker counts from 1 to 16, comma-separated (e.g. 1,2,4)');
const fleet: FleetOptions = {
  integrations: whole('fleet-integrations', 1, 10_000),
  accounts: whole('fleet-accounts', 1, 10_000),
  workers: fleetWorkers,
  minutes: whole('fleet-minutes', 1, 60),
  bigLoad: whole('fleet-big-load', 0, 100_000),
};

const machine = describeMachine();
const commit = currentCommit(repoRoot);
const startedAt = new Date().toISOString();
console.log(
  `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverageAtStart}` +
    (machine.loadAverageAtStart > machine.cpuCount * 0.5 ? ' (busy: figures are pessimistic)' : ''),
);
console.log(`commit:  ${commit.sha ?? 'unknown'}${commit.dirty ? ' (uncommitted changes)' : ''}`);

let stack: Promise<BenchStack> | null = null;
const context: BenchContext = {
  stack: () => (stack ??= BenchStack.create()),
  loadSeconds,
  naiveSample,
  fleet,
};

// At the end, and on Ctrl-C or a SIGTERM from whatever runs the benchmark: the processes of every stack go with it (the
// shared one, and the one a benchmark started for itself, whose `finally` does not run on a signal).
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => void BenchStack.stopEvery().then(() => process.exit(code)));

let reports;
try {
  // Each benchmark's figures as soon as it ends (a full run is long); all of them again in one table at the end.
  reports = await runner.run(context, values.only, (report) => console.log(formatReports([report]).replace(/^/gm, '  ')));
} finally {
  await BenchStack.stopEvery();
}

machine.loadAverageAtEnd = currentLoadAverage();
console.log(`\n${formatReports(reports)}`);
const file = writeResults(join(repoRoot, 'bench-results'), {
  startedAt,
  finishedAt: new Date().toISOString(),
  machine,
  commit,
  only: values.only ?? null,
  benchmarks: reports,
});
const totals = summarize(reports);
console.log(
  `\n${totals.met} targets met, ${totals.missed} missed, ${totals.notMeasured} figures not measured` +
    (totals.failed ? `, ${totals.failed} benchmarks failed` : '') +
    `\nresults: ${file.slice(repoRoot.length + 1)}; process logs: artifacts/bench-logs/`,
);
process.exitCode = totals.failed > 0 ? 1 : 0;
