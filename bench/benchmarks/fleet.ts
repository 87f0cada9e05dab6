// #7 Fleet (issue 17): many small integrations on one schedule, run by 1, 2
// and 4 worker processes of the product, with both sandboxes answering in
// realistic times and Brevo's rate limits on. For each worker count, after a
// warm-up (every initial load done, then one interval), `minutes` of
// measurement while 1% of each org's Contacts change every minute; then one
// 100,000-Contact initial load started beside the fleet; then one of the
// workers SIGKILLed in the middle of its runs.
import { readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connectStore, SYNC_LEASES, type LeaseDoc } from '@contact-sync/store';
import type { Connection as MongoConnection } from 'mongoose';
import { DEFAULT_LEASE_TTL_MS } from '../../apps/worker/src/scheduler.ts';
import { seededRandom } from '../../packages/testing/src/seeded-random.ts';
import type { BenchContext } from '../context.ts';
import { figure, type Benchmark, type Figure } from '../runner.ts';
import {
  createFleet,
  EDIT_ROUTE,
  makeEdits,
  minuteOfEdits,
  percentile,
  runsBetween,
  scheduleFigures,
  waitForInitialLoads,
  watchEdits,
  type Edit,
  type FleetMember,
} from '../support/fleet.ts';
import { currentLoadAverage, processCpuMs, processPeakRssMb } from '../support/machine.ts';
import { BrevoControl, SalesforceControl } from '../support/sandbox-control.ts';
import { BenchStack, type OwnProcess, type ServiceUrls } from '../support/stack.ts';

/** What `npm run bench -- --fleet-*` sets (the issue's fleet by default). */
export interface FleetOptions {
  integrations: number;
  accounts: number;
  /** Worker counts measured one after the other, e.g. [1, 2, 4]. */
  workers: number[];
  /** Minutes measured per worker count (after the warm-up). */
  minutes: number;
  /** Contacts of the initial load started beside the fleet (0: none). */
  bigLoad: number;
}

export const DEFAULT_FLEET: FleetOptions = { integrations: 2_000, accounts: 500, workers: [1, 2, 4], minutes: 5, bigLoad: 100_000 };

const INTERVAL_MS = 60_000;
/** Realistic answer times (issue 17): a Salesforce org 80–150 ms a call, Brevo 40–80 ms. */
const LATENCY = { salesforce: { minMs: 80, maxMs: 150 }, brevo: { minMs: 40, maxMs: 80 } };
const TARGETS = { lagP95S: 5, lagDuringLoadP95S: 10 };
/** Edits per minute whose arrival in Brevo is watched (polled through the sandbox's control routes). */
const SAMPLED_EDITS_PER_MINUTE = 20;
const SAMPLE_POLL_MS = 1_000;
/** How long after the last edit a sampled edit may take to show before it counts as never shown. */
const SAMPLE_GRACE_MS = 3 * INTERVAL_MS;
/** After a window, how long its last runs get to end before the runs' records are read. */
const SETTLE_MS = 15_000;
const WORKER_ENV = {
  // The 60 s watermark run the issue measures; with streaming on, a streamed integration runs every 15 minutes.
  SYNC_STREAMING: 'off',
  SYNC_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
  LOG_LEVEL: 'warn',
};
const countCommands = fileURLToPath(new URL('../support/count-db-commands.mjs', import.meta.url));

const seconds = (ms: number) => Math.round(ms / 100) / 10;

interface FleetWorker {
  process: OwnProcess;
  commandsFile: string;
}

interface CommandCounts {
  commands: number;
  /** Commands by command and collection (`update sync_states`). */
  byCommand: Record<string, number>;
  /** Documents the replies carried, by collection. */
  documentsBy: Record<string, number>;
}

/** The database commands a worker sent so far, and the documents their replies carried (its preload writes them every second). */
function commandsOf(worker: FleetWorker): CommandCounts {
  try {
    const counts = JSON.parse(readFileSync(worker.commandsFile, 'utf8')) as Partial<CommandCounts>;
    return { commands: counts.commands ?? 0, byCommand: counts.byCommand ?? {}, documentsBy: counts.documentsBy ?? {} };
  } catch {
    return { commands: 0, byCommand: {}, documentsBy: {} };
  }
}

/** One of the workers' counts by name (documents by collection, commands by command) between two counts of them, the most first. */
function countedBetween(before: CommandCounts[], after: CommandCounts[], of: (counts: CommandCounts) => Record<string, number>): [string, number][] {
  const counted = new Map<string, number>();
  after.forEach((counts, i) => {
    for (const [name, value] of Object.entries(of(counts))) counted.set(name, (counted.get(name) ?? 0) + value - (of(before[i]!)[name] ?? 0));
  });
  return [...counted].filter(([, value]) => value > 0).sort((a, b) => b[1] - a[1]);
}

async function startWorkers(stack: BenchStack, count: number, tag: string): Promise<FleetWorker[]> {
  const workers: FleetWorker[] = [];
  for (let i = 0; i < count; i += 1) {
    const commandsFile = join(tmpdir(), `fleet-${tag}-${i}-${process.pid}.json`);
    rmSync(commandsFile, { force: true });
    const started = await stack.worker(`worker-fleet-${tag}-${i + 1}`, { ...WORKER_ENV, BENCH_DB_COMMANDS_FILE: commandsFile }, ['--import', countCommands]);
    workers.push({ process: started, commandsFile });
  }
  return workers;
}

interface Measured {
  figures: Figure[];
  notes: string[];
}

/** One worker count: `minutes` of edits, then the runs' records, the sandboxes' counters and the workers' processes read. */
async function measure(
  services: ServiceUrls,
  db: MongoConnection,
  members: FleetMember[],
  workers: FleetWorker[],
  options: FleetOptions,
  random: () => number,
): Promise<Measured> {
  const salesforce = new SalesforceControl(services.salesforceUrl);
  const brevo = new BrevoControl(services.brevoUrl);
  const label = `${workers.length} worker${workers.length === 1 ? '' : 's'}`;
  const load = currentLoadAverage();
  await salesforce.resetCalls();
  await brevo.resetCalls();
  const cpuBefore = workers.map((worker) => processCpuMs(worker.process.pid) ?? 0);
  const commandsBefore = workers.map(commandsOf);
  const windowStart = new Date();

  const sampled: Edit[] = [];
  const seen = new Map<Edit, number>();
  let editsDone = false;
  let lastEditAt = Infinity;
  const watching = watchEdits(brevo, sampled, () => editsDone && (sampled.every((edit) => seen.has(edit)) || Date.now() - lastEditAt > SAMPLE_GRACE_MS), seen, SAMPLE_POLL_MS);
  let edits = 0;
  for (let minute = 0; minute < options.minutes; minute += 1) {
    const start = windowStart.getTime() + minute * INTERVAL_MS;
    const minuteEdits = minuteOfEdits(members, minute, random);
    for (let i = 0; i < SAMPLED_EDITS_PER_MINUTE && minuteEdits.length > 0; i += 1) {
      const pick = minuteEdits[Math.floor(random() * minuteEdits.length)]!;
      if (!sampled.includes(pick)) sampled.push(pick);
    }
    await makeEdits(minuteEdits, start);
    edits += minuteEdits.length;
    await sleep(Math.max(0, start + INTERVAL_MS - Date.now()));
  }
  const windowEnd = new Date();
  const windowMinutes = (windowEnd.getTime() - windowStart.getTime()) / INTERVAL_MS;
  editsDone = true;
  lastEditAt = Date.now();
  const cpuMs = workers.reduce((sum, worker, i) => sum + (processCpuMs(worker.process.pid) ?? 0) - cpuBefore[i]!, 0);
  const commandsAfter = workers.map(commandsOf);
  const commands = commandsAfter.reduce((sum, counts, i) => sum + counts.commands - commandsBefore[i]!.commands, 0);
  const documentsRead = countedBetween(commandsBefore, commandsAfter, (counts) => counts.documentsBy);
  const commandsSent = countedBetween(commandsBefore, commandsAfter, (counts) => counts.byCommand);
  const [salesforceCalls, brevoCalls] = [await salesforce.calls(), await brevo.calls()];
  const peakRss = Math.max(...workers.map((worker) => processPeakRssMb(worker.process.pid) ?? 0));
  await sleep(SETTLE_MS);
  await watching;

  const ids = members.map((member) => member.id);
  const runs = await runsBetween(db, new Date(windowStart.getTime() - 2 * INTERVAL_MS), windowEnd);
  const schedule = scheduleFigures(runs, ids, windowStart, windowEnd, INTERVAL_MS);
  const productSalesforceCalls = salesforceCalls.total - (salesforceCalls.byRoute[EDIT_ROUTE] ?? 0);
  const rateLimited = (brevoCalls.byStatus['429'] ?? 0) + (salesforceCalls.byStatus['429'] ?? 0);
  const latencies = sampled.map((edit) => seen.get(edit) ?? Infinity);
  const neverSeen = latencies.filter((latency) => latency === Infinity).length;
  const latencyP95 = percentile(latencies, 0.95);
  const perRun = (value: number) => (schedule.runs === 0 ? 0 : Math.round((value / schedule.runs) * 10) / 10);
  const lagTarget = { max: TARGETS.lagP95S };
  return {
    figures: [
      figure(`${label}: schedule lag p50`, seconds(percentile(schedule.lagsMs, 0.5)), 's'),
      figure(`${label}: schedule lag p95`, seconds(percentile(schedule.lagsMs, 0.95)), 's', lagTarget),
      figure(`${label}: schedule lag max`, seconds(Math.max(0, ...schedule.lagsMs)), 's'),
      figure(`${label}: integrations that missed an interval`, schedule.missed.length, 'integrations', { max: 0 }),
      figure(`${label}: change latency Salesforce → Brevo p95 (${sampled.length} sampled edits)`, seconds(latencyP95 === Infinity ? SAMPLE_GRACE_MS : latencyP95), 's', undefined, latencyP95 === Infinity),
      ...(neverSeen > 0 ? [figure(`${label}: sampled edits never in Brevo`, neverSeen, 'edits', { max: 0 })] : []),
      // Over the window as it was: a minute whose edits ran late made it longer than `minutes`.
      figure(`${label}: runs per minute`, Math.round(schedule.runs / windowMinutes), 'runs'),
      figure(`${label}: database commands per run`, perRun(commands), 'commands'),
      figure(`${label}: documents read per run`, perRun(documentsRead.reduce((sum, [, documents]) => sum + documents, 0)), 'documents'),
      figure(`${label}: worker CPU per run`, perRun(cpuMs), 'ms'),
      figure(`${label}: worker peak RSS (largest worker)`, peakRss, 'MB'),
      figure(`${label}: Salesforce API calls per run`, perRun(productSalesforceCalls), 'calls'),
      figure(`${label}: Brevo API calls per run`, perRun(brevoCalls.total), 'calls'),
      figure(`${label}: 429s received`, rateLimited, 'answers', { max: 0 }),
      figure(`${label}: runs of one integration at once`, schedule.overlaps.length, 'pairs', { max: 0 }),
    ],
    notes: [
      `${label}: ${schedule.runs} runs, ${schedule.lagsMs.length} scheduled runs with a known lag, ${edits} edits, a window of ${seconds(windowEnd.getTime() - windowStart.getTime())} s, load average ${load} → ${currentLoadAverage()}` +
        (schedule.missed.length > 0 ? `; missed: ${schedule.missed.slice(0, 5).map((miss) => `${miss.integrationId} (gap ${seconds(miss.gapMs)} s)`).join(', ')}` : '') +
        (schedule.unended > 0 ? `; ${schedule.unended} runs not ended ${SETTLE_MS / 1000} s after the window` : ''),
      `${label}: documents read per run by collection: ${documentsRead.map(([collection, documents]) => `${collection} ${perRun(documents)}`).join(', ') || 'none'}`,
      // Per run, the workers' own timers (reconcile, stream supervisor, Agenda's polling) included: what a run's commands are.
      `${label}: database commands per run by command: ${commandsSent.map(([command, count]) => `${command} ${perRun(count)}`).join(', ') || 'none'}`,
      // The calls the stack made over the window per run, by route (the benchmark's own edits left out): a run's own, and the streams' and token refreshes' beside them.
      `${label}: API calls per run by route: ${[
        ...routesPerRun('Salesforce', salesforceCalls.byRoute, perRun, EDIT_ROUTE),
        ...routesPerRun('Brevo', brevoCalls.byRoute, perRun),
      ].join(', ') || 'none'}`,
    ],
  };
}

/** "<api> <route> <calls a run>" for each route called, most called first (`left` excluded). */
function routesPerRun(api: string, byRoute: Record<string, number>, perRun: (value: number) => number, left?: string): string[] {
  return Object.entries(byRoute)
    .filter(([route]) => route !== left)
    .sort(([, a], [, b]) => b - a)
    .map(([route, calls]) => `${api} ${route} ${perRun(calls)}`);
}

/** The other integrations' lag while one big initial load runs beside them (from its activation until it is done). */
async function measureBigLoad(services: ServiceUrls, db: MongoConnection, members: FleetMember[], contacts: number): Promise<Measured> {
  const load = currentLoadAverage();
  const [big] = await createFleet(services, { integrations: 1, accounts: 1, contacts: { min: contacts, max: contacts }, label: 'big' });
  const started = new Date();
  await waitForInitialLoads(services.mongoUri, [big!.id], 30 * 60_000);
  const ended = new Date();
  const runs = await runsBetween(db, new Date(started.getTime() - 2 * INTERVAL_MS), ended);
  const schedule = scheduleFigures(runs, members.map((member) => member.id), started, ended, INTERVAL_MS);
  return {
    figures: [
      figure(`${contacts.toLocaleString('en-US')}-Contact initial load beside the fleet: its wall time`, seconds(ended.getTime() - started.getTime()), 's'),
      figure('the others\' schedule lag p95 during it', seconds(percentile(schedule.lagsMs, 0.95)), 's', { max: TARGETS.lagDuringLoadP95S }),
      figure('the others\' schedule lag max during it', seconds(Math.max(0, ...schedule.lagsMs)), 's'),
    ],
    notes: [`big load: ${schedule.lagsMs.length} scheduled runs of the others during it, load average ${load} → ${currentLoadAverage()}`],
  };
}

/**
 * SIGKILLs one worker while it runs integrations: the integrations it held a
 * lease of must run again (on the others) within one interval plus the lease
 * time, and no integration may have two runs at once.
 */
async function measureKill(db: MongoConnection, members: FleetMember[], workers: FleetWorker[]): Promise<Measured> {
  const victim = workers[0]!;
  const leases = db.db!.collection<LeaseDoc>(SYNC_LEASES);
  const owner = new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${victim.process.pid}:`);
  const ids = new Set(members.map((member) => member.id));
  // Wait for a moment it holds some integrations (it runs one every few hundred ms in a busy fleet).
  let held: string[] = [];
  const deadline = Date.now() + 2 * INTERVAL_MS;
  while (held.length === 0 && Date.now() < deadline) {
    held = (await leases.find({ owner, expiresAt: { $gt: new Date() } }).toArray()).map((lease) => lease._id).filter((id) => ids.has(id));
    if (held.length === 0) await sleep(100);
  }
  const killedAt = new Date();
  await victim.process.kill('SIGKILL');
  const bound = INTERVAL_MS + DEFAULT_LEASE_TTL_MS;
  await sleep(bound + SETTLE_MS);
  const runs = await runsBetween(db, new Date(killedAt.getTime() - 2 * INTERVAL_MS), new Date());
  const takeoverMs = held.map((id) => {
    const next = runs.find((run) => run.integrationId === id && run.startedAt > killedAt);
    return next ? next.startedAt.getTime() - killedAt.getTime() : Infinity;
  });
  const notTaken = takeoverMs.filter((ms) => ms > bound).length;
  const schedule = scheduleFigures(runs, [...ids], killedAt, new Date(killedAt.getTime() + bound), INTERVAL_MS);
  const slowest = Math.max(0, ...takeoverMs);
  return {
    figures: [
      figure(`SIGKILL 1 of ${workers.length} workers: integrations it held, run again within ${seconds(bound)} s (interval + lease)`, held.length - notTaken, 'integrations', { min: held.length }),
      figure('slowest of them, kill → next run', seconds(slowest === Infinity ? bound + SETTLE_MS : slowest), 's', { max: seconds(bound) }, slowest === Infinity),
      figure('runs of one integration at once around the kill', schedule.overlaps.length, 'pairs', { max: 0 }),
    ],
    notes: [`kill: the worker held ${held.length} integration leases; ${schedule.unended} runs left unended (the killed worker's)`],
  };
}

export const fleetBenchmark: Benchmark<BenchContext> = {
  name: 'fleet',
  title: '#7 Fleet (integrations over Brevo accounts, 1/2/4 workers, realistic API latency, Brevo rate limits on)',
  async run(ctx) {
    const options = ctx.fleet;
    // A stack of its own: the workers must run the fleet alone, not the integrations other benchmarks left active
    // (#5 seeds hundreds with tokens of no org).
    const stack = await BenchStack.create('fleet');
    const services = await stack.services();
    const salesforce = new SalesforceControl(services.salesforceUrl);
    const brevo = new BrevoControl(services.brevoUrl);
    const random = seededRandom(17);
    const db = await connectStore(services.mongoUri);
    let workers: FleetWorker[] = [];
    const stopWorkers = async () => {
      await Promise.all(workers.map((worker) => worker.process.kill('SIGTERM')));
      workers = [];
    };
    try {
      process.stdout.write(`  setting up ${options.integrations} integrations over ${options.accounts} Brevo accounts, each with an org of 50–200 Contacts...`);
      const setupStarted = Date.now();
      const members = await createFleet(services, { integrations: options.integrations, accounts: options.accounts, contacts: { min: 50, max: 200 }, label: 'fleet' });
      console.log(` ${seconds(Date.now() - setupStarted)} s`);
      await salesforce.setLatency(LATENCY.salesforce);
      await brevo.setLatency(LATENCY.brevo);

      const figures: Figure[] = [];
      const notes: string[] = [
        `lag = a scheduled run's start − (its integration's previous scheduled start + ${INTERVAL_MS / 1000} s), Agenda's due time, from the runs' records; ` +
          `missed = a gap of more than two intervals between an integration's scheduled runs; per run = the window's totals (sandbox counters, the workers' CPU from /proc and driver commands) over its runs; ` +
          `API latency ${LATENCY.salesforce.minMs}–${LATENCY.salesforce.maxMs} ms (Salesforce), ${LATENCY.brevo.minMs}–${LATENCY.brevo.maxMs} ms (Brevo); the 429 target counts every 429 (the issue allows the first of each burst)`,
      ];
      for (const [index, count] of options.workers.entries()) {
        await stopWorkers();
        workers = await startWorkers(stack, count, String(count));
        if (index === 0) {
          console.log(`  ${count} worker(s): warm-up, the initial loads...`);
          await waitForInitialLoads(services.mongoUri, members.map((member) => member.id), Math.max(10 * 60_000, options.integrations * 1_000));
        }
        console.log(`  ${count} worker(s): warm-up (one interval), then ${options.minutes} min measured...`);
        await sleep(INTERVAL_MS);
        const measured = await measure(services, db, members, workers, options, random);
        figures.push(...measured.figures);
        notes.push(...measured.notes);
      }
      if (options.bigLoad > 0) {
        console.log(`  ${options.bigLoad.toLocaleString('en-US')}-Contact initial load beside the fleet (${workers.length} workers)...`);
        const measured = await measureBigLoad(services, db, members, options.bigLoad);
        figures.push(...measured.figures);
        notes.push(...measured.notes);
      }
      // The last worker count loses one of its workers (with 2 or more).
      if (workers.length >= 2) {
        console.log(`  SIGKILL one of ${workers.length} workers, then one interval plus the lease time...`);
        const measured = await measureKill(db, members, workers);
        figures.push(...measured.figures);
        notes.push(...measured.notes);
      }
      return { figures, notes };
    } finally {
      await stopWorkers();
      await db.close();
      await stack.stop();
    }
  },
};
