import { useTestDatabase } from '@contact-sync/testing';
import { networkInterfaces } from 'node:os';
import pino from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../../packages/sync/src/testing/stack.ts';
import { findFreePort } from '../../../tools/devdb/launch.mjs';
import { createApp } from './app.ts';
import type { BffConfig } from './config.ts';
import { createMetrics } from './metrics.ts';
import { useTestBff } from './test-support.ts';

// What the BFF exposes by default (issue 12): the interface it listens on, /metrics, and whose word it takes
// for the client address that the per-address rate limits key on.
const db = useTestDatabase('bff_exposure');
const bff = useTestBff(db);
const METRICS_TOKEN = 'metrics-token-6c1f0e9b2d4a7358-b5e1c3a9d7f2';

const appWith = (config: Partial<BffConfig>) =>
  createApp({ config: { ...bff.config, ...config }, connection: db.connection, secrets: bff.secrets, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }) });

/** An address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}

let started: AppProcess | undefined;
afterAll(async () => {
  await started?.kill();
});

describe('the BFF by default', () => {
  it('listens on loopback only', async () => {
    const port = await findFreePort();
    started = await startAppProcess('bff', { MONGODB_URI: db.uri, BFF_PORT: String(port), BFF_PUBLIC_URL: `http://localhost:${port}`, DEMO_SEED: 'false', LOG_LEVEL: 'warn' });
    const bound = /listening on (\S+):(\d+)\)/.exec(started.output());
    expect(bound?.[1], started.output()).toMatch(/^(127\.\d+\.\d+\.\d+|\[::1\])$/);
    expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
    const external = externalAddress();
    if (external) await expect(fetch(`http://${external}:${port}/healthz`)).rejects.toThrow();
  }, 90_000);

  it('serves /metrics only with METRICS_TOKEN when one is set, and not at all in production without one', async () => {
    const guarded = appWith({ METRICS_TOKEN });
    expect((await request(guarded).get('/metrics')).status).toBe(401);
    expect((await request(guarded).get('/metrics').set('authorization', 'Bearer wrong-token')).status).toBe(401);
    const scraped = await request(guarded).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('bff_http_request_duration_seconds');

    const production = appWith({ NODE_ENV: 'production' });
    const closed = await request(production).get('/metrics');
    expect([closed.status, closed.body.error.code]).toEqual([404, 'not_found']);
    expect((await request(appWith({ NODE_ENV: 'production', METRICS_TOKEN })).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`)).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy: a client cannot pick its own rate-limit address', async () => {
    const callback = (app: ReturnType<typeof appWith>, client: string) =>
      request(app).get('/api/v1/oauth/salesforce/callback?error=access_denied').set('x-forwarded-for', client);

    // Directly reached (default): every call of this one client counts against it, whatever it claims.
    const direct = appWith({ ADDRESS_RATE_LIMIT_PER_MINUTE: 2 });
    expect((await callback(direct, '203.0.113.1')).status).toBe(200);
    expect((await callback(direct, '203.0.113.2')).status).toBe(200);
    expect((await callback(direct, '203.0.113.3')).status).toBe(429);

    // Behind a proxy on loopback: each client the proxy names has a limit of its own.
    const proxied = appWith({ ADDRESS_RATE_LIMIT_PER_MINUTE: 2, TRUST_PROXY: ['loopback'] });
    for (let i = 0; i < 2; i += 1) expect((await callback(proxied, '203.0.113.1')).status).toBe(200);
    expect((await callback(proxied, '203.0.113.1')).status).toBe(429);
    expect((await callback(proxied, '203.0.113.2')).status).toBe(200);
  });
});
