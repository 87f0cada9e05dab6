import { describe, expect, it } from 'vitest';
import { BrevoCallError, createBrevoClient, rateLimitWaitMs } from './brevo-client.ts';

const contact = { id: 7, email: 'a@example.com', attributes: {}, listIds: [], modifiedAt: '2026-12-04T00:00:00Z' };
const tooMany = () => new Response(JSON.stringify({ code: 'too_many_requests', message: 'The expected rate limit is exceeded.' }), { status: 429, headers: { 'x-sib-ratelimit-reset': '0.1' } });

describe('host demo Brevo client', () => {
  it('sends a request Brevo refused for its rate limit again after the window it names (the edit page showed the 429 while syncs ran)', async () => {
    const answers = [tooMany(), tooMany(), Response.json(contact)];
    let calls = 0;
    const client = createBrevoClient('http://brevo.test/v3', async () => {
      calls += 1;
      return answers.shift()!;
    });
    expect(await client.getContact('xkeysib-test', 7)).toEqual(contact);
    expect(calls).toBe(3);
  });

  it('gives up after a few 429s and says so', async () => {
    let calls = 0;
    const client = createBrevoClient('http://brevo.test/v3', async () => {
      calls += 1;
      return tooMany();
    });
    const error = await client.getContact('xkeysib-test', 7).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BrevoCallError);
    expect((error as BrevoCallError).status).toBe(429);
    expect(calls).toBe(4);
  });

  it.each([
    ['0.1', 100],
    ['2', 2_000],
    ['60', 3_000],
    [null, 500],
    ['soon', 500],
  ])('waits for a reset of %j: %d ms', (reset, ms) => {
    expect(rateLimitWaitMs(reset)).toBe(ms);
  });
});
