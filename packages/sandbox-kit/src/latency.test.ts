import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiLatency, CallCounter, createControlRouter, FaultInjector, latencyEnv, listen, type RunningServer } from './index.ts';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function startApp(latency = new ApiLatency()) {
  const app = express();
  app.use('/__sandbox', createControlRouter({ faults: new FaultInjector(), calls: new CallCounter(), reset: () => undefined, latency }));
  app.use(latency.middleware());
  app.get('/v3/account', (_req, res) => res.json({ ok: true }));
  running = await listen(app, 0);
  return running.url;
}

async function timed(url: string): Promise<number> {
  const started = performance.now();
  expect((await fetch(url)).status).toBe(200);
  return performance.now() - started;
}

const put = (url: string, body: unknown) => fetch(`${url}/__sandbox/latency`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('ApiLatency', () => {
  it('is off by default, and a call then waits in the range set through the control route until it is turned off', async () => {
    const url = await startApp();
    expect(await (await fetch(`${url}/__sandbox/latency`)).json()).toEqual({ latency: null });
    expect(await timed(`${url}/v3/account`)).toBeLessThan(60);

    expect((await put(url, { minMs: 150, maxMs: 200 })).status).toBe(200);
    expect(await (await fetch(`${url}/__sandbox/latency`)).json()).toEqual({ latency: { minMs: 150, maxMs: 200 } });
    for (let i = 0; i < 3; i += 1) expect(await timed(`${url}/v3/account`)).toBeGreaterThanOrEqual(148); // timers may fire a ms early

    expect((await fetch(`${url}/__sandbox/latency`, { method: 'DELETE' })).status).toBe(204);
    expect(await timed(`${url}/v3/account`)).toBeLessThan(60);
  });

  it('draws each wait uniformly in [min, max] from its random source', () => {
    const values = [0, 0.5, 0.999999];
    const latency = new ApiLatency({ minMs: 80, maxMs: 150 }, () => values.shift()!);
    expect([latency.nextDelayMs(), latency.nextDelayMs(), latency.nextDelayMs()]).toEqual([80, 115, 150]);
  });

  it('refuses a range that is not one, and keeps the one it had', async () => {
    const url = await startApp(new ApiLatency({ minMs: 40, maxMs: 80 }));
    for (const body of [{ minMs: 90, maxMs: 80 }, { minMs: -1, maxMs: 80 }, { minMs: 10 }, { minMs: 1, maxMs: 2, extra: true }, { minMs: 0, maxMs: 600_000 }]) {
      const response = await put(url, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_latency');
    }
    expect(await (await fetch(`${url}/__sandbox/latency`)).json()).toEqual({ latency: { minMs: 40, maxMs: 80 } });
  });

  it('reads the environment form: a range, one number, or nothing (off)', () => {
    expect(latencyEnv.parse('80-150')).toEqual({ minMs: 80, maxMs: 150 });
    expect(latencyEnv.parse(' 40 - 80 ')).toEqual({ minMs: 40, maxMs: 80 });
    expect(latencyEnv.parse('100')).toEqual({ minMs: 100, maxMs: 100 });
    expect(latencyEnv.parse(undefined)).toBeNull();
    expect(latencyEnv.parse('')).toBeNull();
    for (const bad of ['150-80', 'fast', '80-', '-5', '1-99999']) expect(latencyEnv.safeParse(bad).success, bad).toBe(false);
  });
});
