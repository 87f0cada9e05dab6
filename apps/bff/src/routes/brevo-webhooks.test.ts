import { createSyncStore } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import express from 'express';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BffContext } from '../context.ts';
import type { RouteGuards } from '../route.ts';
import { brevoWebhookRoutes } from './brevo-webhooks.ts';

const database = useTestDatabase('bff_brevo_webhooks');
let server: ReturnType<ReturnType<typeof express>['listen']>;
let url: string;
const SECRET = 'integration-secret-0123456789';

beforeAll(async () => {
  const store = createSyncStore(database.connection.db!);
  await store.state.setWebhook('int-w', 7, { v: 1 }, createHash('sha256').update(SECRET).digest('hex'));
  const app = express();
  app.use(brevoWebhookRoutes({ connection: database.connection, logger: pino({ level: 'silent' }), now: () => new Date() } as unknown as BffContext, {} as RouteGuards));
  app.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(error.status ?? 500).json({ code: 'error' });
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/webhooks/brevo/int-w`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (body: string, authorization?: string) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
const event = JSON.stringify({ event: 'contact_updated', email: 'a@b.test', id: 7, ts: 1_790_000_000, content: [{ FIRSTNAME: 'Ann' }] });

describe('POST /api/v1/webhooks/brevo/:integrationId', () => {
  it('stores an authenticated event once and refuses anything else without storing', async () => {
    const store = createSyncStore(database.connection.db!);
    expect((await post(event)).status).toBe(401);
    expect((await post(event, 'Bearer wrong')).status).toBe(401);
    expect((await post('{not json', `Bearer ${SECRET}`)).status).toBe(400);
    expect((await post(JSON.stringify({ event: 'contact_updated', email: 5, ts: 'x' }), `Bearer ${SECRET}`)).status).toBe(400);
    expect((await post(JSON.stringify({ event: 'contact_updated', email: 'a@b.test', ts: 1, pad: 'x'.repeat(2_000_000) }), `Bearer ${SECRET}`)).status).toBe(413);
    expect(await store.events.countPending('int-w')).toBe(0);

    const first = await post(event, `Bearer ${SECRET}`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ stored: 1, duplicates: 0 });
    expect(await (await post(event, `Bearer ${SECRET}`)).json()).toEqual({ stored: 0, duplicates: 1 });
    expect(await store.events.countPending('int-w')).toBe(1);
  });
});
