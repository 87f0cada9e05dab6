import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { CallCounter, createControlRouter, FaultInjector, listen, type RunningServer } from './index.ts';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function startApp(random?: () => number) {
  const faults = new FaultInjector(random);
  const calls = new CallCounter();
  let resets = 0;
  const app = express();
  app.use('/__sandbox', createControlRouter({ faults, calls, reset: () => void (resets += 1) }));
  app.use(calls.middleware());
  app.use(faults.middleware((res, status) => res.status(status).json({ code: 'injected', status })));
  app.get('/v3/contacts/:id', (req, res) => res.json({ id: req.params.id }));
  running = await listen(app, 0);
  return { url: running.url, resets: () => resets };
}

describe('FaultInjector', () => {
  it('fails matching requests a fixed number of times with Retry-After', async () => {
    const { url } = await startApp();
    const added = await fetch(`${url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/v3/contacts', status: 429, times: 2, retryAfterSeconds: 3 }),
    });
    expect(added.status).toBe(201);

    const first = await fetch(`${url}/v3/contacts/1`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(await first.json()).toEqual({ code: 'injected', status: 429 });
    expect((await fetch(`${url}/v3/contacts/2`)).status).toBe(429);
    expect((await fetch(`${url}/v3/contacts/3`)).status).toBe(200);
  });

  it('applies a probability with the injected random source', () => {
    const values = [0.05, 0.5, 0.09, 0.95];
    const injector = new FaultInjector(() => values.shift() ?? 1);
    injector.add({ status: 500, probability: 0.1 });
    const fired = [1, 2, 3, 4].map(() => injector.pick('GET', '/x') !== undefined);
    expect(fired).toEqual([true, false, true, false]);
  });

  it('only matches the given method', () => {
    const injector = new FaultInjector();
    injector.add({ method: 'POST', status: 503 });
    expect(injector.pick('GET', '/a')).toBeUndefined();
    expect(injector.pick('POST', '/a')?.status).toBe(503);
  });

  it('drops the connection', async () => {
    const { url } = await startApp();
    await fetch(`${url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ drop: true, times: 1 }),
    });
    await expect(fetch(`${url}/v3/contacts/1`)).rejects.toThrow();
    expect((await fetch(`${url}/v3/contacts/1`)).status).toBe(200);
  });

  it('handles the request, then drops the connection instead of answering', async () => {
    const faults = new FaultInjector();
    let written = 0;
    const app = express();
    app.use(faults.middleware((res, status) => res.status(status).json({ code: 'injected', status })));
    app.post('/v3/contacts', (_req, res) => {
      written += 1;
      res.status(201).json({ id: written });
    });
    running = await listen(app, 0);
    faults.add({ pathPrefix: '/v3/contacts', dropResponse: true, times: 1 });
    await expect(fetch(`${running.url}/v3/contacts`, { method: 'POST' })).rejects.toThrow();
    expect(written).toBe(1);
    expect(await (await fetch(`${running.url}/v3/contacts`, { method: 'POST' })).json()).toEqual({ id: 2 });
  });

  it('refuses an invalid fault and resets everything', async () => {
    const { url, resets } = await startApp();
    const bad = await fetch(`${url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 418 }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${url}/v3/contacts/1`);
    const calls = (await (await fetch(`${url}/__sandbox/calls`)).json()) as { total: number; byRoute: object; byStatus: Record<string, number> };
    expect(calls.byRoute).toEqual({ 'GET /v3/contacts/:id': 1 });
    expect(Object.values(calls.byStatus)).toEqual([1]);
    expect((await fetch(`${url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect(resets()).toBe(1);
  });
});
