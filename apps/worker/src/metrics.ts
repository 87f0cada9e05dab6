import type { RunTrigger } from '@contact-sync/store';
import type { IntegrationRunResult } from '@contact-sync/sync';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The worker's Prometheus metrics, one registry per worker (tests build several in one process).
 * No label names an integration, an account or an org: their number is the fleet's, and a scrape is
 * not where a reader of `/metrics` learns who the customers are. Labels take a few fixed values each.
 */
export interface WorkerMetrics {
  registry: Registry;
  runsEnded: Counter<'trigger' | 'end'>;
  runDuration: Histogram<'trigger'>;
  scheduleLag: Histogram;
  apiCalls: Counter<'api'>;
  apiRateLimited: Counter<'api'>;
}

/** What the gauges read when scraped. */
export interface WorkerGaugeSources {
  /** Runs this worker has going (at most WORKER_CONCURRENCY). */
  runsInProgress: () => number;
  /** Change Data Capture streams this worker holds the lease of. */
  streamsHeld: () => number;
  /** Integrations in back-off, fleet-wide (a database count: see `cachedFor`). */
  integrationsBackingOff: () => Promise<number>;
}

export function createWorkerMetrics(options: { defaultMetrics?: boolean } = {}): WorkerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    runsEnded: new Counter({
      name: 'worker_sync_runs_total',
      help: 'Integration runs ended, by what asked for them and how they ended (completed, failed, yielded, paused, quota_exceeded, auth_error, lease_lost; error: the run threw)',
      labelNames: ['trigger', 'end'],
      registers: [registry],
    }),
    runDuration: new Histogram({
      name: 'worker_sync_run_duration_seconds',
      help: 'Integration run duration, by what asked for the run',
      labelNames: ['trigger'],
      buckets: [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    scheduleLag: new Histogram({
      name: 'worker_schedule_lag_seconds',
      help: "Scheduled runs: from the time Agenda's job was due to the time this worker started it",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
    apiCalls: new Counter({
      name: 'worker_api_calls_total',
      help: 'Salesforce and Brevo API calls the sync made (each attempt, retries included)',
      labelNames: ['api'],
      registers: [registry],
    }),
    apiRateLimited: new Counter({
      name: 'worker_api_rate_limited_total',
      help: "Calls the API refused for a rate limit: Brevo's 429; Salesforce's REQUEST_LIMIT_EXCEEDED (daily or concurrent requests) or 429",
      labelNames: ['api'],
      registers: [registry],
    }),
  };
}

/** The gauges, read at each scrape from what the worker already holds in memory (and one cached count). */
export function registerWorkerGauges(metrics: WorkerMetrics, sources: WorkerGaugeSources): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'worker_sync_runs_in_progress',
    help: 'Integration runs this worker has going (at most WORKER_CONCURRENCY)',
    registers,
    collect() {
      this.set(sources.runsInProgress());
    },
  });
  new Gauge({
    name: 'worker_streams_held',
    help: 'Change Data Capture streams (one per Salesforce org and object) this worker holds',
    registers,
    collect() {
      this.set(sources.streamsHeld());
    },
  });
  new Gauge({
    name: 'worker_integrations_backing_off',
    help: 'Integrations whose scheduled runs are held back after failed runs, fleet-wide (every worker reports the same count)',
    registers,
    async collect() {
      this.set(await sources.integrationsBackingOff());
    },
  });
}

/**
 * `read` at most once per `ttlMs` however often it is asked (a scrape of every worker every few seconds
 * costs one count per worker per `ttlMs`); the last value when a read fails (a scrape during a database
 * outage still answers).
 */
export function cachedFor(ttlMs: number, read: () => Promise<number>, onError: (error: unknown) => void, now: () => number = Date.now): () => Promise<number> {
  let value = 0;
  let readAt = -Infinity;
  let reading: Promise<number> | null = null;
  return () => {
    if (now() - readAt < ttlMs) return Promise.resolve(value);
    reading ??= read()
      .then(
        (fresh) => (value = fresh),
        (error: unknown) => {
          onError(error);
          return value;
        },
      )
      .finally(() => {
        readAt = now();
        reading = null;
      });
    return reading;
  };
}

/** How a run of both directions ended, as counted: failed if either failed, else where Salesforce → Brevo stopped. */
export function runEndOf(result: IntegrationRunResult): string {
  const ends = [result.brevoToSalesforce.end, result.salesforceToBrevo?.end];
  return ends.includes('failed') ? 'failed' : (result.salesforceToBrevo?.end ?? result.brevoToSalesforce.end);
}

/** Counts one run that ended (or threw: `end` null) after `seconds`. */
export function countRun(metrics: WorkerMetrics, trigger: RunTrigger, end: string | null, seconds: number): void {
  metrics.runsEnded.inc({ trigger, end: end ?? 'error' });
  metrics.runDuration.observe({ trigger }, seconds);
}
