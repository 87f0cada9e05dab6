// #5 BFF under load: GET /api/v1/integrations for an account with 50
// integrations among 1,000, 100 connections, against a bare Express endpoint
// answering the same bytes in the same run. Then where the time goes: the
// route's database commands, counted and timed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.mjs';
import { findFreePort } from '../../tools/devdb/launch.mjs';
import type { BenchContext } from '../context.ts';
import { figure, type Benchmark, type Figure } from '../runner.ts';
import { LIST_CACHE_DEFAULTS } from '../../apps/bff/src/services/account-list-cache.ts';
import { processCpuMs } from '../support/machine.ts';
import { hostToken } from '../support/host-token.ts';
import { profileListRoute, waitForQuietDatabase } from '../support/list-route-profile.ts';
import { describeLoad, measureLoad, p99Figure } from '../support/load.ts';
import { DEFAULT_SEED, ensureSeeded, otherAccountId } from '../support/seed-integrations.ts';

const CONNECTIONS = 100;
const WARM_UP_SECONDS = 2;
const P99_TARGET_MS = 50;
/** p99 at most this many times bare Express's in the same run. */
const P99_RATIO_TARGET = 1.5;
/** The list of 50 integrations read from the database (not cached), one request at a time. */
const UNCACHED_TARGET_MS = 20;
/** Database commands per request not answered from the cache. */
const COMMANDS_TARGET = 4;
/** One request at a time: up to this many, within this long. */
const UNLOADED_SAMPLES = 30;
const UNLOADED_BUDGET_MS = 60_000;

/** Requests not answered from the BFF's list cache: one each this long after the last (LIST_CACHE_DEFAULTS.maxStaleMs 2 s). */
const UNCACHED_SAMPLES = 5;
const UNCACHED_GAP_MS = LIST_CACHE_DEFAULTS.maxStaleMs + 100;
/**
 * Before those, the lists of this many other accounts, each read once: a BFF that has served any list has
 * compiled the route's code; without them the first samples timed V8 compiling it (21–50 ms against 19–29 ms
 * once warm, 2026-12-04).
 */
const UNCACHED_WARM_UP_ACCOUNTS = 20;

/** Latency of one request at a time (median) and the BFF's CPU per request: what the route costs before any queueing. */
async function unloadedLatency(
  url: string,
  headers: Record<string, string>,
  pid: number,
  { samples: wanted, budgetMs, gapMs = 0 }: { samples: number; budgetMs: number; gapMs?: number },
): Promise<{ medianMs: number; samples: number; cpuPerRequestMs: number | null }> {
  const samples: number[] = [];
  let cpuMs: number | null = 0;
  const deadline = performance.now() + budgetMs;
  while (samples.length < wanted && (samples.length < 3 || performance.now() < deadline)) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    const cpuBefore = processCpuMs(pid);
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    const cpuAfter = processCpuMs(pid);
    cpuMs = cpuMs === null || cpuBefore === null || cpuAfter === null ? null : cpuMs + cpuAfter - cpuBefore;
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: Math.round(samples[Math.floor(samples.length / 2)]! * 10) / 10,
    samples: samples.length,
    cpuPerRequestMs: cpuMs === null ? null : Math.round((cpuMs / samples.length) * 100) / 100,
  };
}

const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.1)) * 10) / 10;

export const bffLoadBenchmark: Benchmark<BenchContext> = {
  name: 'bff',
  title: '#5 BFF under load',
  async run(ctx) {
    const stack = await ctx.stack();
    const services = await stack.services();
    const { accounts } = await ensureSeeded(services.mongoUri);
    console.log(`  seeded ${DEFAULT_SEED.total} integrations over ${accounts} accounts (${DEFAULT_SEED.measuredCount} for ${DEFAULT_SEED.measuredAccount})`);
    const headers = { authorization: `Bearer ${await hostToken(DEFAULT_SEED.measuredAccount)}` };
    const bff = await stack.disposableBff('bff-load');
    const notes: string[] = [];
    try {
      const url = `${bff.url}/api/v1/integrations`;
      const check = await fetch(url, { headers });
      const body = Buffer.from(await check.arrayBuffer());
      const listed = check.ok ? (JSON.parse(body.toString('utf8')) as { integrations: unknown[] }).integrations.length : -1;
      if (listed !== DEFAULT_SEED.measuredCount) throw new Error(`the BFF answered ${check.status} with ${listed} integrations; expected ${DEFAULT_SEED.measuredCount}`);

      // The baseline first: it answers the very same bytes, and nothing the BFF's load leaves behind can slow it.
      const bodyDir = mkdtempSync(join(tmpdir(), 'contact-sync-bench-body-'));
      const bodyFile = join(bodyDir, 'integrations.json');
      writeFileSync(bodyFile, body);
      const barePort = await findFreePort();
      await stack.startScript('bare-express', join(repoRoot, 'bench', 'support', 'bare-express.ts'), {
        BARE_EXPRESS_PORT: String(barePort),
        BARE_EXPRESS_BODY_FILE: bodyFile,
      });
      const bareUrl = `http://127.0.0.1:${barePort}/api/v1/integrations`;
      await measureLoad({ url: bareUrl, connections: CONNECTIONS, durationSeconds: WARM_UP_SECONDS, headers });
      const bare = await measureLoad({ url: bareUrl, connections: CONNECTIONS, durationSeconds: ctx.loadSeconds, headers });
      console.log(`  ${describeLoad('bare Express', bare)}`);
      rmSync(bodyDir, { recursive: true, force: true });

      // Before any load: a database still draining the load's queries would inflate every figure here.
      console.log('  replaying the route in this process with database command monitoring...');
      const profile = await profileListRoute(services.mongoUri, DEFAULT_SEED.measuredAccount, 1);

      // Each of these reads the database: the route's whole cost, what one account pays at most once per second.
      for (let n = 1; n <= UNCACHED_WARM_UP_ACCOUNTS; n += 1) {
        await (await fetch(url, { headers: { authorization: `Bearer ${await hostToken(otherAccountId(n))}` } })).arrayBuffer();
      }
      const uncached = await unloadedLatency(url, headers, bff.pid, { samples: UNCACHED_SAMPLES, budgetMs: UNLOADED_BUDGET_MS, gapMs: UNCACHED_GAP_MS });
      console.log(
        `  BFF, one request at a time, not cached (${UNCACHED_GAP_MS} ms apart): median ${uncached.medianMs} ms over ${uncached.samples} requests, BFF process CPU ${uncached.cpuPerRequestMs ?? '?'} ms per request`,
      );
      const unloaded = await unloadedLatency(url, headers, bff.pid, { samples: UNLOADED_SAMPLES, budgetMs: UNLOADED_BUDGET_MS });
      const cpuPerRequestMs = unloaded.cpuPerRequestMs;
      console.log(
        `  BFF, one request at a time, back to back: median ${unloaded.medianMs} ms over ${unloaded.samples} requests (${(body.length / 1024).toFixed(1)} kB answer), BFF process CPU ${cpuPerRequestMs ?? '?'} ms per request`,
      );
      await measureLoad({ url, connections: CONNECTIONS, durationSeconds: WARM_UP_SECONDS, headers });
      const cpuBeforeLoad = processCpuMs(bff.pid);
      const loaded = await measureLoad({ url, connections: CONNECTIONS, durationSeconds: ctx.loadSeconds, headers });
      const cpuAfterLoad = processCpuMs(bff.pid);
      const loadedCpuPerRequestMs =
        cpuBeforeLoad !== null && cpuAfterLoad !== null && loaded.responses > 0 ? Math.round(((cpuAfterLoad - cpuBeforeLoad) / loaded.responses) * 100) / 100 : null;
      console.log(`  ${describeLoad('BFF', loaded)}; BFF process CPU ${loadedCpuPerRequestMs ?? '?'} ms per response`);
      await bff.kill();
      await waitForQuietDatabase(services.mongoUri, profile.isolated);

      const routeCommands = Object.entries(profile.route.byCommand);
      const commandsPerRequest = profile.route.count;

      const p99 = p99Figure(loaded);
      // No response at all: the BFF made fewer than one per measurement, a bound on both ratios.
      const none = loaded.responses === 0;
      const bffThroughput = none ? 1 / loaded.durationSeconds : loaded.requestsPerSecond;
      const figures: Figure[] = [
        figure('BFF p99 latency, 100 connections', p99.value, 'ms', { max: P99_TARGET_MS }, p99.atLeast),
        figure('BFF p50 latency', none ? loaded.durationSeconds * 1000 : loaded.p50Ms, 'ms', undefined, none),
        figure('BFF throughput', loaded.requestsPerSecond, 'req/s'),
        figure('BFF responses in the measurement', loaded.responses, 'responses'),
        figure('BFF failed requests (non-2xx + errors)', loaded.non2xx + loaded.errors, 'requests'),
        ...(loadedCpuPerRequestMs === null ? [] : [figure('BFF process CPU per response under load', loadedCpuPerRequestMs, 'ms')]),
        figure('BFF latency, one request at a time (median)', unloaded.medianMs, 'ms'),
        ...(cpuPerRequestMs === null ? [] : [figure('BFF process CPU per request, one at a time', cpuPerRequestMs, 'ms')]),
        figure('BFF latency, not cached (median, one at a time)', uncached.medianMs, 'ms', { max: UNCACHED_TARGET_MS }),
        ...(uncached.cpuPerRequestMs === null ? [] : [figure('BFF process CPU per request, not cached', uncached.cpuPerRequestMs, 'ms')]),
        figure('bare Express p99 latency', bare.p99Ms, 'ms'),
        figure('bare Express throughput', bare.requestsPerSecond, 'req/s'),
        figure('throughput ratio bare Express / BFF', ratio(bare.requestsPerSecond, bffThroughput), '×', undefined, none),
        figure('p99 ratio BFF / bare Express', ratio(p99.value, bare.p99Ms), '×', { max: P99_RATIO_TARGET }, p99.atLeast),
        figure('database commands per request, not cached (route replayed)', commandsPerRequest, 'commands', { max: COMMANDS_TARGET }),
        figure('route replayed alone: database time', profile.route.totalMs, 'ms'),
        figure('route replayed alone: CPU of the replaying process', profile.route.cpuMs, 'ms'),
      ];
      notes.push(
        `${ctx.loadSeconds} s per load measurement, ${CONNECTIONS} connections, answer ${(body.length / 1024).toFixed(1)} kB (the bare endpoint sends the same bytes); BFF: ${describeLoad('load', loaded)}; bare: ${describeLoad('load', bare)}.`,
        'autocannon runs in the benchmark process on the same machine as the BFF and its database: client, server and database share the CPUs. The load test uses a BFF process of its own, killed afterwards.',
        `The BFF answers the list from a per-account cache (apps/bff/src/services/account-list-cache.ts: fresh ${LIST_CACHE_DEFAULTS.freshMs} ms, served while one read refreshes it up to ${LIST_CACHE_DEFAULTS.maxStaleMs} ms, forgotten on every write of the process to the account): under load the database is read about once a second; "not cached" is one request ${UNCACHED_GAP_MS} ms after the last, each reading the database, after one list of each of ${UNCACHED_WARM_UP_ACCOUNTS} other accounts (the route's code compiled).`,
        `Route replay (apps/bff listForAccount + toIntegrationDtos with syncFactsFromStore, ${profile.integrations} integrations): ${routeCommands.map(([name, stats]) => `${stats.count}× ${name}`).join(', ')}; wall ${profile.route.totalMs} ms, ${profile.route.cpuMs} ms CPU. ` +
          `Each read alone: ${Object.entries(profile.isolated).map(([name, ms]) => `${name} ${ms} ms`).join('; ')}.`,
      );
      if (loaded.responses < CONNECTIONS) {
        notes.push(`Fewer responses than connections: most requests were still waiting when the measurement ended; the p99 shown is a lower bound (the measurement's length or the slowest answer).`);
      }
      return { figures, notes };
    } finally {
      await bff.kill();
    }
  },
};
