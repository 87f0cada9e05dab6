import { startSandbox, type StartedSandbox } from '@contact-sync/sandbox-brevo';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAccount } from './account.ts';
import { listAttributes } from './attributes.ts';
import { createBrevoClient } from './client.ts';
import { classifyBrevoError, isBrevoTimeout } from './errors.ts';
import { createList, findList, listLists, PLUGIN_FOLDER_NAME } from './lists.ts';

let sandbox: StartedSandbox;
const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {} };

beforeAll(async () => {
  // Conformance of each endpoint's shape, many calls a second in a row: Brevo's 10 calls/s would answer 429s the test is not about (rate-limit.test.ts checks the limits).
  sandbox = await startSandbox({ rateLimits: { enabled: false } });
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
});

const addFault = (fault: unknown) =>
  fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
const client = () => createBrevoClient({ apiKey: 'xkeysib-sandbox-demo', baseUrl: sandbox.baseUrl });

describe('Brevo lists, attributes and account', () => {
  it('creates a list in the plugin folder (created once) and pages lists', async () => {
    const first = await createList(client(), 'Salesforce leads');
    const second = await createList(client(), 'Salesforce contacts');
    expect(first.folderId).toBe(second.folderId);
    const folders = await client().contacts.getFolders({ limit: 50 });
    expect(folders.folders?.filter((f) => f.name === PLUGIN_FOLDER_NAME)).toHaveLength(1);

    const page = await listLists(client(), { offset: 0, limit: 50 });
    expect(page.lists.map((l) => l.name)).toEqual(expect.arrayContaining(['Salesforce leads', 'Salesforce contacts']));
    expect(page.count).toBeGreaterThanOrEqual(2);
    expect(await findList(client(), first.id)).toMatchObject({ id: first.id, name: 'Salesforce leads' });
    expect(await findList(client(), 999_999)).toBeNull();
  });

  it('reads attributes and the account', async () => {
    const attributes = await listAttributes(client());
    expect(attributes.length).toBeGreaterThan(0);
    expect(attributes.every((a) => typeof a.name === 'string' && typeof a.category === 'string')).toBe(true);
    expect((await getAccount(client())).email).toContain('@');
  });

  it('retries a GET after 503 and 429, never a POST after a 500', async () => {
    await addFault([
      { pathPrefix: '/v3/contacts/lists', method: 'GET', status: 503, times: 1 },
      { pathPrefix: '/v3/contacts/lists', method: 'GET', status: 429, times: 1 },
    ]);
    await expect(listLists(client(), { offset: 0, limit: 10 }, fastRetry)).resolves.toBeDefined();

    await addFault({ pathPrefix: '/v3/contacts/lists', method: 'POST', status: 500, times: 1 });
    const before = (await listLists(client(), { offset: 0, limit: 50 })).count;
    await expect(createList(client(), 'Once', fastRetry)).rejects.toMatchObject({ statusCode: 500 });
    expect((await listLists(client(), { offset: 0, limit: 50 })).count).toBe(before);
  });
});

describe('classifyBrevoError', () => {
  it('reads x-sib-ratelimit-reset on 429 and refuses retrying a non-idempotent POST on 5xx', async () => {
    await addFault({ pathPrefix: '/v3/account', status: 429, times: 1 });
    const limited = await client().account.getAccount().catch((e: unknown) => e);
    expect(classifyBrevoError(limited, { idempotent: false })).toMatchObject({ retry: true, kind: 'rate_limited', retryAfterMs: 1000 });

    await addFault({ pathPrefix: '/v3/account', status: 502, times: 1 });
    const bad = await client().account.getAccount().catch((e: unknown) => e);
    expect(classifyBrevoError(bad, { idempotent: false })).toMatchObject({ retry: false, kind: 'server' });
    expect(classifyBrevoError(bad, { idempotent: true })).toMatchObject({ retry: true });
  });

  it('calls a refused key unauthorized and a refused connection retryable', async () => {
    const refused = await createBrevoClient({ apiKey: 'xkeysib-wrong', baseUrl: sandbox.baseUrl }).account.getAccount().catch((e: unknown) => e);
    expect(classifyBrevoError(refused, { idempotent: true })).toMatchObject({ retry: false, kind: 'unauthorized', status: 401 });

    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const down = await createBrevoClient({ apiKey: 'x', baseUrl: `http://127.0.0.1:${closed}/v3` }).account.getAccount().catch((e: unknown) => e);
    expect(classifyBrevoError(down, { idempotent: false })).toMatchObject({ retry: true, kind: 'network' });
  });

  it('calls a request the client gave up on a timeout (the SDK reports it as an unknown error)', async () => {
    await addFault({ pathPrefix: '/v3/account', latencyMs: 1_500, times: 1 });
    const slow = await createBrevoClient({ apiKey: 'xkeysib-sandbox-demo', baseUrl: sandbox.baseUrl, timeoutSeconds: 0.5 }).account.getAccount().catch((e: unknown) => e);
    expect(isBrevoTimeout(slow)).toBe(true);
    expect(classifyBrevoError(slow, { idempotent: true })).toMatchObject({ retry: true, kind: 'timeout' });
    expect(classifyBrevoError(slow, { idempotent: false })).toMatchObject({ retry: false, kind: 'timeout' });
  });
});
