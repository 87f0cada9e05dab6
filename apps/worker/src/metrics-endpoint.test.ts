import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, metricsAccess, parseEncryptionKeys } from '@contact-sync/secrets';
import { useTestDatabase } from '@contact-sync/testing';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { createActiveIntegration, startAppProcess, waitUntil, type AppProcess } from '../../../packages/sync/src/testing/stack.ts';
import { loadWorkerConfig } from './config.ts';
import { createWorkerMetrics } from './metrics.ts';
import { startMetricsServer } from './metrics-server.ts';

// Issue 17: the worker's own /metrics and /healthz (its port, the BFF's METRICS_TOKEN rule, what a scrape shows).
const database = useTestDatabase('worker_metrics');
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);
const METRICS_TOKEN = randomBytes(36).toString('base64');
let harness: Harness;
let worker: AppProcess | undefined;
const servers: Server[] = [];

beforeAll(async () => {
  harness = await startHarness(database.connection.db!);
}, 60_000);
afterAll(async () => {
  await worker?.kill();
  for (const server of servers) server.close();
  await harness?.stop();
});

/** One sample's value in Prometheus text (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** An address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}

describe('a worker process with WORKER_METRICS_PORT=0', () => {
  it('counts a scheduled run, its API calls, the rate-limited answers it got and its schedule lag, naming no integration', async () => {
    const integration = await createActiveIntegration(database.connection, secrets, harness, 'Metrics');
    harness.brevo.calls.reset();
    harness.salesforce.calls.reset();
    worker = await startAppProcess('worker', {
      MONGODB_URI: database.uri,
      // The recurring job's first run comes at its phase in the interval (within 30 s), its second 30 s after it.
      SYNC_INTERVAL_SECONDS: '30',
      SYNC_STREAMING: 'off',
      BREVO_API_URL: harness.brevo.baseUrl,
      SALESFORCE_LOGIN_URL: harness.salesforce.url,
      WORKER_METRICS_PORT: '0',
      METRICS_TOKEN,
      LOG_LEVEL: 'warn',
    });
    const url = /metrics and health on (http:\/\/\S+)\)/.exec(worker.output())?.[1];
    expect(url, worker.output()).toBeDefined();
    // Loopback only by default, as the BFF.
    const bound = new URL(url!);
    expect(bound.hostname).toMatch(/^(127\.\d+\.\d+\.\d+|\[::1\])$/);
    const external = externalAddress();
    if (external) await expect(fetch(`http://${external}:${bound.port}/healthz`)).rejects.toThrow();

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(405);
    const scrape = async () => {
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };

    // The recurring job's first run (at its phase in the interval) is the initial load. One call to each
    // API is answered as their limits answer: Brevo 429, Salesforce 403 REQUEST_LIMIT_EXCEEDED; both retried.
    harness.brevo.faults.add({ pathPrefix: '/v3/contacts', status: 429, times: 1, retryAfterSeconds: 1 });
    harness.salesforce.faults.add({ pathPrefix: '/services/data', status: 429, times: 1 });
    let text = '';
    // Counted as it ends; in progress until its job is over (the lease released just after).
    await waitUntil('the run counted and over', async () => {
      text = await scrape();
      return sample(text, 'worker_sync_runs_total{trigger="schedule",end="completed"}') === 1 && sample(text, 'worker_sync_runs_in_progress') === 0;
    }, 90_000);
    expect((await harness.store.state.get(integration.id)).initialLoadDone).toBe(true);

    expect(sample(text, 'worker_sync_run_duration_seconds_count{trigger="schedule"}')).toBe(1);
    expect(sample(text, 'worker_schedule_lag_seconds_count')).toBe(1);
    // Taken at the first poll (every second) after it fell due.
    expect(sample(text, 'worker_schedule_lag_seconds_sum')).toBeLessThan(5);
    expect(sample(text, 'worker_api_rate_limited_total{api="brevo"}')).toBe(1);
    expect(sample(text, 'worker_api_rate_limited_total{api="salesforce"}')).toBe(1);
    // Each attempt, as the sandboxes saw them (the Brevo webhook's registration is not a sync call).
    const brevo = harness.brevo.calls.snapshot();
    const salesforce = harness.salesforce.calls.snapshot();
    const rest = Object.entries(salesforce.byRoute).filter(([route]) => route.includes('/services/data/'));
    expect(sample(text, 'worker_api_calls_total{api="salesforce"}'), JSON.stringify(salesforce)).toBe(rest.reduce((sum, [, count]) => sum + count, 0));
    const syncCalls = Object.entries(brevo.byRoute).filter(([route]) => !route.includes('/webhooks'));
    expect(sample(text, 'worker_api_calls_total{api="brevo"}'), JSON.stringify(brevo)).toBe(syncCalls.reduce((sum, [, count]) => sum + count, 0));
    expect(sample(text, 'worker_sync_runs_in_progress')).toBe(0);
    expect(sample(text, 'worker_streams_held')).toBe(0);
    expect(sample(text, 'worker_integrations_backing_off')).toBe(0);
    expect(text).toContain('process_resident_memory_bytes');
    // No label names an integration or an account.
    expect(text).not.toContain(integration.id);
    expect(text).not.toContain(integration.accountId);
  }, 150_000);
});

describe("the worker's /metrics in production", () => {
  const production = {
    MONGODB_URI: 'mongodb://h/db',
    NODE_ENV: 'production',
    SALESFORCE_CLIENT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: `prod1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_KEY_ID: 'prod1',
    WORKER_METRICS_PORT: '0',
  };
  const serve = async (env: Record<string, string>) => {
    const config = loadWorkerConfig(env);
    const { server, url } = await startMetricsServer({ port: config.WORKER_METRICS_PORT!, host: config.WORKER_METRICS_HOST, registry: createWorkerMetrics({ defaultMetrics: false }).registry, access: metricsAccess(config) });
    servers.push(server);
    return url;
  };

  it('is not served without METRICS_TOKEN (404), while /healthz answers', async () => {
    const url = await serve(production);
    const closed = await fetch(`${url}/metrics`);
    expect([closed.status, ((await closed.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('asks for METRICS_TOKEN as a bearer token (401) when set', async () => {
    const url = await serve({ ...production, METRICS_TOKEN });
    const refused = await fetch(`${url}/metrics`);
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Basic ${METRICS_TOKEN}` } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('worker_sync_runs_total');
  });
});
