import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brevoError, startSandbox, type StartedSandbox } from './test-support.ts';

let sandbox: StartedSandbox;
let clock = Date.UTC(2026, 10, 27, 10, 0, 0, 100);
beforeAll(async () => {
  sandbox = await startSandbox({ seed: { contacts: 2 }, now: () => clock });
});
afterAll(() => sandbox.stop());

describe('rate limits (Brevo general tier)', () => {
  it('are on unless switched off, as Brevo enforces them', async () => {
    expect(sandbox.rateLimiter.options).toMatchObject({ enabled: true, tier: 'general' });
  });

  it('sends x-sib-ratelimit headers and answers 429 over 10 requests per second on /contacts', async () => {
    const { client } = sandbox;
    const first = await client.contacts.getContacts().withRawResponse();
    expect(first.rawResponse.headers.get('x-sib-ratelimit-limit')).toBe('10');
    expect(first.rawResponse.headers.get('x-sib-ratelimit-remaining')).toBe('9');
    expect(first.rawResponse.headers.get('x-sib-ratelimit-reset')).toBe('1');
    for (let i = 0; i < 9; i++) await client.contacts.getContactInfo({ identifier: 1 });
    const limited = await brevoError(client.contacts.getContacts());
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toEqual({ code: 'too_many_requests', message: 'The expected rate limit is exceeded.' });
    expect(limited.rawResponse?.headers.get('x-sib-ratelimit-remaining')).toBe('0');
    clock += 1000;
    expect((await client.contacts.getContacts()).count).toBe(2);
  });

  it('limits other endpoints per hour (100) with the reset in seconds', async () => {
    const { client } = sandbox;
    clock = Date.UTC(2026, 10, 27, 11, 0, 0, 0);
    const first = await client.account.getAccount().withRawResponse();
    expect(first.rawResponse.headers.get('x-sib-ratelimit-limit')).toBe('100');
    expect(first.rawResponse.headers.get('x-sib-ratelimit-reset')).toBe('3600');
    for (let i = 0; i < 99; i++) await client.account.getAccount();
    expect((await brevoError(client.account.getAccount())).statusCode).toBe(429);
    clock += 3_600_000;
    await client.account.getAccount();
  });

  it('can be switched off and tuned through the control route', async () => {
    const put = (body: unknown) => fetch(`${sandbox.url}/__sandbox/rate-limits`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put({ overrides: { contacts: [{ limit: 1, seconds: 1 }] } })).status).toBe(200);
    clock += 5000;
    await sandbox.client.contacts.getContacts();
    expect((await brevoError(sandbox.client.contacts.getContacts())).statusCode).toBe(429);
    expect((await put({ enabled: false })).status).toBe(200);
    const off = await sandbox.client.contacts.getContacts().withRawResponse();
    expect(off.rawResponse.headers.get('x-sib-ratelimit-limit')).toBeNull();
    expect((await put({ enabled: 'yes' })).status).toBe(400);
  });
});
