import { describe, expect, it } from 'vitest';
import { backoffDelay, isNetworkError, parseRetryAfter, RetriesExhaustedError, withRetry, type RetryDecision } from './retry.ts';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`http ${status}`);
  }
}

const classify = (error: unknown): RetryDecision =>
  error instanceof HttpError && (error.status === 429 || error.status >= 500)
    ? { retry: true, retryAfterMs: error.retryAfterMs, reason: `http_${error.status}` }
    : { retry: false };

function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('withRetry', () => {
  it('returns the first success after retryable failures', async () => {
    const { delays, sleep } = recorder();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new HttpError(503);
        return 'ok';
      },
      classify,
      { sleep, random: () => 1, baseDelayMs: 100 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('does not retry what the classifier refuses', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new HttpError(400);
        },
        classify,
        { sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ status: 400 });
    expect(calls).toBe(1);
  });

  it('stops after maxAttempts with the last error attached', async () => {
    let calls = 0;
    const failure = withRetry(
      async () => {
        calls += 1;
        throw new HttpError(500);
      },
      classify,
      { sleep: async () => {}, maxAttempts: 4 },
    );
    await expect(failure).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(failure).rejects.toMatchObject({ attempts: 4, lastError: { status: 500 } });
    expect(calls).toBe(4);
  });

  it('waits at least as long as the server asks', async () => {
    const { delays, sleep } = recorder();
    let calls = 0;
    await withRetry(
      async () => {
        calls += 1;
        if (calls === 1) throw new HttpError(429, 2_000);
        return 'ok';
      },
      classify,
      { sleep, random: () => 0 },
    );
    expect(delays).toEqual([2_000]);
  });

  it('gives up at once when the server asks for a longer wait than allowed', async () => {
    const { delays, sleep } = recorder();
    await expect(
      withRetry(
        async () => {
          throw new HttpError(429, 3_600_000);
        },
        classify,
        { sleep, maxServerWaitMs: 60_000 },
      ),
    ).rejects.toMatchObject({ status: 429 });
    expect(delays).toEqual([]);
  });
});

describe('backoffDelay', () => {
  it.each([
    [1, 1, 250],
    [2, 1, 500],
    [6, 1, 8_000],
    [7, 1, 10_000],
    [3, 0.5, 500],
    [3, 0, 0],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, 250, 10_000, () => random)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['3', 3_000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('isNetworkError', () => {
  it('recognises dropped connections and refuses HTTP errors', () => {
    expect(isNetworkError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isNetworkError(new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }))).toBe(true);
    expect(isNetworkError(new HttpError(500))).toBe(false);
    expect(isNetworkError('ECONNRESET')).toBe(false);
  });
});
