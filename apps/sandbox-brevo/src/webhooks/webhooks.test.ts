import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brevoError, createContactId, startReceiver, startSandbox, waitFor, type StartedSandbox } from '../test-support.ts';
import { IDLE_CONNECTION_MS } from './delivery.ts';

let sandbox: StartedSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let status = 200;
beforeAll(async () => {
  // Conformance of each endpoint's shape, many calls a second in a row: Brevo's 10 calls/s would answer 429s the test is not about (rate-limit.test.ts checks the limits).
  sandbox = await startSandbox({ rateLimits: { enabled: false }, seed: { contacts: 3 }, webhookRetryDelaysMs: [50, 50] });
  receiver = await startReceiver(() => status);
});
afterAll(async () => {
  await sandbox.stop();
  await receiver.close();
});
beforeEach(() => {
  sandbox.state.reset();
  sandbox.deliveries.clear();
  receiver.received.length = 0;
  status = 200;
});
afterEach(() => sandbox.deliveries.clear());

async function registerMarketingWebhook(extra: Record<string, unknown> = {}) {
  const { id } = await sandbox.client.webhooks.createWebhook({
    url: `${receiver.url}/brevo/webhook`,
    description: 'contact sync',
    type: 'marketing',
    events: ['contactUpdated', 'contactDeleted'],
    auth: { type: 'bearer', token: 's3cret-token' },
    headers: [{ key: 'X-Integration', value: 'int_1' }],
    ...extra,
  });
  return id;
}

describe('webhook registry', () => {
  it('creates, lists by type, reads, updates and deletes webhooks', async () => {
    const { client } = sandbox;
    const id = await registerMarketingWebhook();
    const marketing = await client.webhooks.getWebhooks({ type: 'marketing' });
    expect(marketing.webhooks).toHaveLength(1);
    expect(marketing.webhooks[0]).toMatchObject({ id, type: 'marketing', events: ['contactUpdated', 'contactDeleted'], url: `${receiver.url}/brevo/webhook`, description: 'contact sync' });
    expect((await client.webhooks.getWebhooks()).webhooks).toHaveLength(0);
    await client.webhooks.updateWebhook({ webhookId: id, description: 'renamed' });
    expect((await client.webhooks.getWebhook({ webhookId: id })).description).toBe('renamed');
    await client.webhooks.deleteWebhook({ webhookId: id });
    expect((await brevoError(client.webhooks.getWebhook({ webhookId: id }))).statusCode).toBe(404);
    const bad = await brevoError(client.webhooks.createWebhook({ url: 'not a url', type: 'marketing', events: ['contactUpdated'] }));
    expect(bad.statusCode).toBe(400);
    const badEvent = await brevoError(client.webhooks.createWebhook({ url: receiver.url, type: 'marketing', events: ['sent'] }));
    expect((badEvent.body as { code: string }).code).toBe('invalid_parameter');
  });
});

describe('webhook delivery', () => {
  it('posts contact_updated with the bearer token after an SDK update, outside the request', async () => {
    const webhookId = await registerMarketingWebhook();
    await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'Webhooked' } });
    const [request] = await waitFor(() => (receiver.received.length >= 1 ? receiver.received : undefined));
    expect(request!.path).toBe('/brevo/webhook');
    expect(request!.headers.authorization).toBe('Bearer s3cret-token');
    expect(request!.headers['x-integration']).toBe('int_1');
    const contact = await sandbox.client.contacts.getContactInfo({ identifier: 1 });
    expect(request!.body).toMatchObject({
      event: 'contact_updated',
      id: webhookId,
      email: contact.email,
      content: [{ FIRSTNAME: 'Webhooked' }],
      api_key_name: 'sandbox-demo',
    });
    const body = request!.body as { date: string; ts: number; key: string };
    expect(body.date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(Math.abs(body.ts - Date.now() / 1000)).toBeLessThan(10);
    expect(body.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends each webhook its own token, and nothing more to a deleted webhook', async () => {
    await registerMarketingWebhook();
    const second = (
      await sandbox.client.webhooks.createWebhook({ url: `${receiver.url}/second`, type: 'marketing', events: ['contactUpdated'], auth: { type: 'bearer', token: 'other-token' } })
    ).id;
    for (let i = 0; i < 5; i++) await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { SCORE: i } });
    await waitFor(() => receiver.received.length >= 10 || undefined);
    for (const request of receiver.received) {
      expect(request.headers.authorization).toBe(request.path === '/second' ? 'Bearer other-token' : 'Bearer s3cret-token');
    }
    await sandbox.client.webhooks.deleteWebhook({ webhookId: second });
    receiver.received.length = 0;
    await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { SCORE: 99 } });
    await waitFor(() => receiver.received.length >= 1 || undefined);
    await sandbox.deliveries.idle();
    expect(receiver.received.map((r) => r.path)).toEqual(['/brevo/webhook']);
  });

  it('posts contact_deleted on delete, and fires for batch updates', async () => {
    await registerMarketingWebhook();
    const email = (await sandbox.client.contacts.getContactInfo({ identifier: 2 })).email!;
    await sandbox.client.contacts.updateBatchContacts({ contacts: [{ id: 3, attributes: { LASTNAME: 'Batched' } }] });
    await sandbox.client.contacts.deleteContact({ identifier: email });
    await waitFor(() => receiver.received.length >= 2 || undefined);
    const events = receiver.received.map((r) => r.body as { event: string; email: string; content?: unknown });
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'contact_updated', content: [{ LASTNAME: 'Batched' }] }),
        expect.objectContaining({ event: 'contact_deleted', email }),
      ]),
    );
    expect(events.find((e) => e.event === 'contact_deleted')).not.toHaveProperty('content');
  });

  it('a recipient unsubscribing blocklists the email (as the client reads it) and posts unsubscribed, once', async () => {
    await registerMarketingWebhook({ events: ['contactUpdated', 'contactDeleted', 'unsubscribed'] });
    const contact = await sandbox.client.contacts.getContactInfo({ identifier: 1 });
    expect(contact.emailBlacklisted).toBe(false);
    const unsubscribe = () => fetch(`${sandbox.url}/__sandbox/accounts/acc_demo/contacts/1/unsubscribe`, { method: 'POST' }).then((r) => r.json());
    expect(await unsubscribe()).toEqual({ unsubscribed: true });
    expect(await unsubscribe()).toEqual({ unsubscribed: false });
    expect((await sandbox.client.contacts.getContactInfo({ identifier: 1 })).emailBlacklisted).toBe(true);
    const listed = await sandbox.client.contacts.getContacts({ ids: [1], limit: 1, offset: 0 });
    expect(listed.contacts?.[0]).toMatchObject({ id: 1, emailBlacklisted: true });
    const [request] = await waitFor(() => (receiver.received.length >= 1 ? receiver.received : undefined));
    await sandbox.deliveries.idle();
    expect(receiver.received).toHaveLength(1);
    expect(request!.body).toMatchObject({ event: 'unsubscribed', email: contact.email, camp_id: expect.any(Number), ts_event: expect.any(Number) });
    const body = request!.body as { ts: number; content?: unknown; api_key_name?: unknown };
    expect(Math.abs(body.ts - Date.now() / 1000)).toBeLessThan(10);
    // Not a contact change: no content, no key.
    expect(body).not.toHaveProperty('content');
    expect(body).not.toHaveProperty('api_key_name');
  });

  it('sends no unsubscribed event to a webhook not subscribed to it; a batch update blocklists as the client asks', async () => {
    await registerMarketingWebhook();
    await sandbox.client.contacts.updateBatchContacts({ contacts: [{ id: 2, emailBlacklisted: true }] });
    expect((await sandbox.client.contacts.getContactInfo({ identifier: 2 })).emailBlacklisted).toBe(true);
    await fetch(`${sandbox.url}/__sandbox/accounts/acc_demo/contacts/3/unsubscribe`, { method: 'POST' });
    await waitFor(() => receiver.received.length >= 1 || undefined);
    await sandbox.deliveries.idle();
    // The blocklisting by the API is a contact change of no attribute; the unsubscribe is not sent at all.
    expect(receiver.received.map((r) => r.body)).toEqual([expect.objectContaining({ event: 'contact_updated', content: [{}], api_key_name: 'sandbox-demo' })]);
  });

  it('retries an unreachable or throttled receiver on the configured schedule, and discards on other errors', async () => {
    await registerMarketingWebhook();
    let answers = [429, 200];
    const throttled = await startReceiver(() => answers.shift() ?? 200);
    try {
      await sandbox.client.webhooks.createWebhook({ url: throttled.url, type: 'marketing', events: ['contactUpdated'] });
      status = 500;
      await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'Retry' } });
      await waitFor(() => throttled.received.length >= 2 || undefined);
      await waitFor(() => sandbox.deliveries.deliveries().find((d) => d.url === throttled.url && d.state === 'delivered'));
      const listed = (await (await fetch(`${sandbox.url}/__sandbox/webhooks/deliveries`)).json()) as {
        deliveries: { url: string; state: string; attempts: { status?: number }[] }[];
      };
      const retried = listed.deliveries.find((d) => d.url === throttled.url)!;
      expect(retried.attempts.map((a) => a.status)).toEqual([429, 200]);
      const discarded = listed.deliveries.find((d) => d.url.startsWith(receiver.url))!;
      expect(discarded.state).toBe('discarded');
      expect(discarded.attempts).toHaveLength(1);
      expect(receiver.received).toHaveLength(1);
    } finally {
      answers = [];
      await throttled.close();
    }
  });

  it('gives up after the last retry when the receiver stays down', async () => {
    await sandbox.client.webhooks.createWebhook({ url: 'http://127.0.0.1:9/down', type: 'marketing', events: ['contactDeleted'] });
    await sandbox.client.contacts.deleteContact({ identifier: 1 });
    const delivery = await waitFor(() => sandbox.deliveries.deliveries().find((d) => d.state === 'failed'));
    expect(delivery.attempts).toHaveLength(3);
    expect(delivery.attempts.every((a) => a.error !== undefined)).toBe(true);
  });

  it('times an attempt out when no answer comes, and keeps the status when only the body is late', async () => {
    const stalled = await startServer((req, res) => {
      if (req.url === '/silent') return; // never answers
      res.writeHead(200, { 'content-length': '10' });
      res.write('partial'); // the rest of the body never comes
    });
    sandbox.deliveries.options.timeoutMs = 150;
    try {
      for (const path of ['/silent', '/head-only']) {
        await sandbox.client.webhooks.createWebhook({ url: `${stalled.url}${path}`, type: 'marketing', events: ['contactUpdated'] });
      }
      await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'Slow' } });
      const settled = (path: string) => sandbox.deliveries.deliveries().find((d) => d.url.endsWith(path) && d.state !== 'pending');
      const silent = await waitFor(() => settled('/silent'));
      expect(silent.state).toBe('failed');
      expect(silent.attempts.map((a) => a.error)).toEqual(Array(3).fill('The operation was aborted due to timeout'));
      expect(silent.attempts.every((a) => a.status === undefined && a.durationMs >= 140)).toBe(true);
      expect(await waitFor(() => settled('/head-only'))).toMatchObject({ state: 'delivered', attempts: [{ status: 200 }] });
    } finally {
      sandbox.deliveries.options.timeoutMs = 10_000;
      await stalled.close();
    }
  });

  it('posts deliveries in a row on one kept-alive connection', async () => {
    const connections: string[] = [];
    const quick = await startServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()), connections);
    try {
      await sandbox.client.webhooks.createWebhook({ url: `${quick.url}/hook`, type: 'marketing', events: ['contactUpdated'] });
      for (let i = 1; i <= 5; i++) {
        await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { SCORE: i } });
        await waitFor(() => quick.paths.length === i || undefined);
        await sandbox.deliveries.idle();
      }
      expect(connections).toEqual(['/hook']);
    } finally {
      await quick.close();
    }
  });

  it('closes a kept-alive connection left idle for IDLE_CONNECTION_MS, before a receiver’s own keep-alive timeout could close it under a request', async () => {
    const closed: number[] = [];
    const quick = await startServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    quick.server.keepAliveTimeout = 60_000;
    quick.server.on('connection', (socket) => socket.on('close', () => closed.push(Date.now())));
    try {
      await sandbox.client.webhooks.createWebhook({ url: `${quick.url}/hook`, type: 'marketing', events: ['contactUpdated'] });
      await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { SCORE: 1 } });
      await waitFor(() => quick.paths.length === 1 || undefined);
      await sandbox.deliveries.idle();
      const answered = Date.now();
      await waitFor(() => closed.length === 1 || undefined, IDLE_CONNECTION_MS + 3_000);
      expect(closed[0]! - answered).toBeGreaterThanOrEqual(IDLE_CONNECTION_MS - 500);
    } finally {
      await quick.close();
    }
  }, 15_000);

  it('sends a delivery again at once on a new connection when the receiver closed the kept-alive one as it was reused', async () => {
    const connections: string[] = [];
    const served = new WeakMap<object, number>();
    const closing = await startServer((req, res) => {
      const before = served.get(req.socket) ?? 0;
      served.set(req.socket, before + 1);
      // The second request on a connection finds it closed: as a receiver's keep-alive timeout firing just then.
      if (before === 1) return req.socket.destroy();
      req.resume().on('end', () => res.writeHead(204).end());
    }, connections);
    try {
      await sandbox.client.webhooks.createWebhook({ url: `${closing.url}/hook`, type: 'marketing', events: ['contactUpdated'] });
      for (const score of [1, 2]) {
        await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { SCORE: score } });
        await waitFor(() => sandbox.deliveries.deliveries().filter((d) => d.url.startsWith(closing.url) && d.state === 'delivered').length === score || undefined);
      }
      const mine = sandbox.deliveries.deliveries().filter((d) => d.url.startsWith(closing.url));
      expect(mine.map((d) => d.attempts.map((a) => a.status ?? a.error))).toEqual([[204], [204]]);
      expect(closing.paths).toEqual(['/hook', '/hook', '/hook']);
      expect(connections).toEqual(['/hook', '/hook']);
    } finally {
      await closing.close();
    }
  });

  it('records nothing of an attempt cut short by its close, and schedules no retry', async () => {
    const own = await startSandbox({ rateLimits: { enabled: false }, seed: { contacts: 1 }, webhookRetryDelaysMs: [50, 50] });
    const silent = await startServer(() => undefined);
    try {
      await own.client.webhooks.createWebhook({ url: `${silent.url}/hook`, type: 'marketing', events: ['contactUpdated'] });
      await own.client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'Closing' } });
      await waitFor(() => silent.paths.length === 1 || undefined);
      const [delivery] = own.deliveries.deliveries();
      await own.stop();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(delivery!.attempts).toEqual([]);
      expect(silent.paths).toEqual(['/hook']);
    } finally {
      await silent.close();
    }
  });

  it('follows no redirect: a 3xx discards the delivery, as any answer that is neither 2xx nor 429', async () => {
    const moved = await startServer((req, res) => req.resume().on('end', () => res.writeHead(req.url === '/moved' ? 307 : 200, { location: '/new-home' }).end()));
    try {
      await sandbox.client.webhooks.createWebhook({ url: `${moved.url}/moved`, type: 'marketing', events: ['contactUpdated'] });
      await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'Moved' } });
      const delivery = await waitFor(() => sandbox.deliveries.deliveries().find((d) => d.url.endsWith('/moved') && d.state !== 'pending'));
      expect(delivery).toMatchObject({ state: 'discarded', attempts: [{ status: 307 }] });
      expect(moved.paths).toEqual(['/moved']);
    } finally {
      await moved.close();
    }
  });

  it('lets a custom header replace a header of the sandbox of the same name, whatever its case', async () => {
    await registerMarketingWebhook({ headers: [{ key: 'Content-Type', value: 'application/json; charset=utf-8' }, { key: 'User-Agent', value: 'custom' }] });
    await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'Typed' } });
    const [request] = await waitFor(() => (receiver.received.length >= 1 ? receiver.received : undefined));
    expect([request!.headers['content-type'], request!.headers['user-agent']]).toEqual(['application/json; charset=utf-8', 'custom']);
  });

  it('keeps the last historySize deliveries, oldest first', async () => {
    await registerMarketingWebhook();
    sandbox.deliveries.options.historySize = 3;
    try {
      for (let i = 0; i < 7; i++) await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { SCORE: i } });
      await waitFor(() => receiver.received.length >= 7 || undefined);
      const listed = (await (await fetch(`${sandbox.url}/__sandbox/webhooks/deliveries`)).json()) as { deliveries: { body: { content: { SCORE: number }[] } }[] };
      expect(listed.deliveries.map((d) => d.body.content[0]!.SCORE)).toEqual([4, 5, 6]);
      expect(sandbox.deliveries.deliveries()).toHaveLength(3);
    } finally {
      sandbox.deliveries.options.historySize = 2_000;
    }
  });

  it('posts list_addition when a contact joins a list, for webhooks that asked for it', async () => {
    const webhookId = await registerMarketingWebhook({ events: ['listAddition'] });
    const email = (await sandbox.client.contacts.getContactInfo({ identifier: 2 })).email!;
    await sandbox.client.contacts.addContactToList({ listId: 5, body: { ids: [2] } });
    await waitFor(() => receiver.received.length >= 1 || undefined);
    expect(receiver.received[0]!.body).toMatchObject({ event: 'list_addition', id: webhookId, email, list_id: [5], api_key_name: 'sandbox-demo' });
    await sandbox.client.contacts.updateContact({ identifier: 2, attributes: { FIRSTNAME: 'No list change' } });
    await sandbox.deliveries.idle();
    expect(receiver.received).toHaveLength(1);
  });

  it('sends an array per batch to a batched webhook', async () => {
    sandbox.deliveries.options.batchWindowMs = 50;
    await registerMarketingWebhook({ batched: true });
    await sandbox.client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'A' } });
    await sandbox.client.contacts.updateContact({ identifier: 2, attributes: { FIRSTNAME: 'B' } });
    await waitFor(() => receiver.received.length >= 1 || undefined);
    expect(receiver.received).toHaveLength(1);
    expect((receiver.received[0]!.body as unknown[]).map((e) => (e as { content: unknown[] }).content)).toEqual([[{ FIRSTNAME: 'A' }], [{ FIRSTNAME: 'B' }]]);
    sandbox.deliveries.options.batchWindowMs = 1000;
  });

  it('fires for changes made in the sandbox UI, with an empty api_key_name', async () => {
    await registerMarketingWebhook();
    const id = await createContactId(sandbox.client, { email: 'ui@example.test' });
    await waitFor(() => receiver.received.length >= 1 || undefined);
    receiver.received.length = 0;
    const form = new URLSearchParams({ email: 'ui@example.test', attr_FIRSTNAME: 'From UI' });
    const res = await fetch(`${sandbox.url}/contacts/${id}`, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    await waitFor(() => receiver.received.length >= 1 || undefined);
    expect(receiver.received[0]!.body).toMatchObject({ event: 'contact_updated', email: 'ui@example.test', content: [{ FIRSTNAME: 'From UI' }], api_key_name: '' });
    await fetch(`${sandbox.url}/contacts/${id}/delete`, { method: 'POST', redirect: 'manual' });
    await waitFor(() => receiver.received.some((r) => (r.body as { event: string }).event === 'contact_deleted') || undefined);
  });
});

/** An HTTP server of the test's own handling; `connections` gets the first request's path of each new connection. */
async function startServer(handle: (req: IncomingMessage, res: ServerResponse) => void, connections: string[] = []) {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    handle(req, res);
  });
  server.on('connection', (socket) => socket.once('data', (chunk: Buffer) => connections.push(chunk.toString('latin1').split(' ')[1] ?? '')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
