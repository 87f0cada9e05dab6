import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brevoError, startSandbox, type StartedSandbox } from './test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: { contacts: 2 } });
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
});

const addFault = (fault: unknown) =>
  fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });

describe('fault injection and call counts', () => {
  it('renders injected 500, 503 and 429 in Brevo error bodies, 429 with rate-limit headers', async () => {
    await addFault([
      { pathPrefix: '/v3/contacts', method: 'GET', status: 500, times: 1 },
      { pathPrefix: '/v3/contacts', method: 'GET', status: 503, times: 1, retryAfterSeconds: 2 },
      { pathPrefix: '/v3/contacts', method: 'GET', status: 429, times: 1 },
    ]);
    const e500 = await brevoError(sandbox.client.contacts.getContacts());
    expect(e500.statusCode).toBe(500);
    expect(e500.body).toEqual({ code: 'internal_error', message: 'Internal Server Error' });
    const e503 = await brevoError(sandbox.client.contacts.getContacts());
    expect(e503.statusCode).toBe(503);
    expect(e503.rawResponse?.headers.get('retry-after')).toBe('2');
    const e429 = await brevoError(sandbox.client.contacts.getContacts());
    expect(e429.statusCode).toBe(429);
    expect(e429.rawResponse?.headers.get('x-sib-ratelimit-reset')).toBe('1');
    expect((await sandbox.client.contacts.getContacts()).count).toBe(2);
  });

  it('counts /v3 calls per route, ids collapsed', async () => {
    await sandbox.client.contacts.getContactInfo({ identifier: 1 });
    await sandbox.client.contacts.getContactInfo({ identifier: 2 });
    await sandbox.client.contacts.getContacts();
    const calls = (await (await fetch(`${sandbox.url}/__sandbox/calls`)).json()) as { total: number; byRoute: Record<string, number> };
    expect(calls.byRoute).toEqual({ 'GET /contacts': 1, 'GET /contacts/:id': 2 });
  });

  it('resets to the seed', async () => {
    await sandbox.client.contacts.deleteContact({ identifier: 1 });
    await sandbox.client.contacts.createList({ name: 'Temporary', folderId: 1 });
    expect((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect((await sandbox.client.contacts.getContacts()).count).toBe(2);
    expect((await sandbox.client.contacts.getLists()).count).toBe(4);
  });

  it('never answers bad input with a crash', async () => {
    const key = { 'api-key': 'xkeysib-sandbox-demo', 'content-type': 'application/json' };
    const cases: [string, string, string | undefined][] = [
      ['PUT', '/contacts/1', '{"attributes": "nope"}'],
      ['PUT', '/contacts/1', '{"listIds": ["x"]}'],
      ['POST', '/contacts/batch', '{"contacts": "x"}'],
      ['POST', '/contacts/lists/2/contacts/add', '{"emails": [1, 2]}'],
      ['POST', '/contacts/import', '{"jsonBody": {}}'],
      ['POST', '/webhooks', '{"url": 5}'],
      ['GET', '/contacts?limit=abc', undefined],
      ['GET', '/contacts?modifiedSince=yesterday', undefined],
      ['GET', '/contacts/lists/abc', undefined],
      ['GET', '/contacts/x?identifierType=nope', undefined],
      ['POST', '/smtp/email', 'null'],
      ['POST', '/contacts', '"just a string"'],
    ];
    for (const [method, path, body] of cases) {
      const res = await fetch(`${sandbox.baseUrl}${path}`, { method, headers: key, ...(body !== undefined ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
      const json = (await res.json()) as { code: string; message: string };
      expect(typeof json.code, `${method} ${path}`).toBe('string');
      expect(typeof json.message).toBe('string');
    }
    const huge = await fetch(`${sandbox.baseUrl}/contacts`, { method: 'POST', headers: key, body: JSON.stringify({ email: 'x'.repeat(12 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
  });
});
