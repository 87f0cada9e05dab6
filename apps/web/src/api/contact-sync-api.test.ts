import { ROUTES, type RouteDefinition } from '@contact-sync/api';
import { describe, expect, it } from 'vitest';
import { createContactSyncApi, type ContactSyncApi } from './contact-sync-api.ts';
import type { HttpClient } from './http-client.ts';

function recordingApi() {
  const calls: { method: string; path: string; query?: Record<string, unknown> }[] = [];
  const http: HttpClient = {
    request: async <T>(method: string, path: string, options: { query?: Record<string, unknown> } = {}) => {
      calls.push({ method, path, ...(options.query ? { query: options.query } : {}) });
      return { integrations: [], runs: [], recordErrors: [] } as T;
    },
  };
  return { api: createContactSyncApi(http), calls };
}

const routeFor = (method: string, path: string) =>
  (Object.values(ROUTES) as RouteDefinition[]).find((route) => {
    const pattern = new RegExp(`^${route.path.replace(/^\/api\/v1/, '').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    return route.method === method.toLowerCase() && pattern.test(path);
  });

describe('the BFF client', () => {
  it('calls only routes of the API contract (packages/api ROUTES)', async () => {
    const { api } = recordingApi();
    const names = Object.keys(api) as (keyof ContactSyncApi)[];
    for (const name of names) {
      const { api: one, calls } = recordingApi();
      const call = one[name] as (...args: unknown[]) => Promise<unknown>;
      await call('665f1c2b9a1e4b0012345678', 'x', 1);
      const [{ method, path }] = calls as [{ method: string; path: string }];
      expect(routeFor(method, path), `${name}: ${method} ${path}`).toBeDefined();
    }
  });

  it('asks for the latest 50 runs, and record errors by page, search and cause', async () => {
    const { api, calls } = recordingApi();
    await api.listRuns('abc');
    await api.listRecordErrors('abc', { offset: 0, limit: 25 });
    await api.listRecordErrors('abc', { offset: 25, limit: 25, q: 'penny', code: 'duplicate' });
    await api.retryRecordErrors('abc', 'duplicate');
    expect(calls).toEqual([
      { method: 'GET', path: '/integrations/abc/runs', query: { limit: 50 } },
      { method: 'GET', path: '/integrations/abc/record-errors', query: { offset: 0, limit: 25 } },
      { method: 'GET', path: '/integrations/abc/record-errors', query: { offset: 25, limit: 25, q: 'penny', code: 'duplicate' } },
      { method: 'POST', path: '/integrations/abc/record-errors/retry', query: { code: 'duplicate' } },
    ]);
  });
});
