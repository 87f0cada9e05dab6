/**
 * Bounded retries with exponential backoff and full jitter, deferring to the
 * server when it says how long to wait (Retry-After, rate-limit reset). Both
 * official clients are told not to retry (jsforce never retries POST/PATCH,
 * the Brevo SDK retries even non-idempotent POSTs), so this is the one retry
 * policy for calls to Salesforce and Brevo.
 */

export interface RetryDecision {
  retry: boolean;
  /** The server's own wait, when it gave one. */
  retryAfterMs?: number;
  /** Short reason for logs and metrics, e.g. `http_429`, `network`. */
  reason?: string;
}

export type ErrorClassifier = (error: unknown) => RetryDecision;

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A server asking for a longer wait than this is not waited for: the error is
   * thrown so the caller can reschedule instead of holding a worker.
   */
  maxServerWaitMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string | undefined; error: unknown }) => void;
}

export const DEFAULT_RETRY_OPTIONS = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxServerWaitMs: 60_000,
} as const;

export class RetriesExhaustedError extends Error {
  readonly code = 'retries_exhausted';

  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`gave up after ${attempts} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`, {
      cause: lastError,
    });
    this.name = 'RetriesExhaustedError';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The delay before retry number `attempt` (1-based), with full jitter. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  classify: ErrorClassifier,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY_OPTIONS.maxAttempts;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_RETRY_OPTIONS.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY_OPTIONS.maxDelayMs;
  const maxServerWaitMs = options.maxServerWaitMs ?? DEFAULT_RETRY_OPTIONS.maxServerWaitMs;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = classify(error);
      if (!decision.retry) throw error;
      if (attempt >= maxAttempts) throw new RetriesExhaustedError(attempt, error);
      if (decision.retryAfterMs !== undefined && decision.retryAfterMs > maxServerWaitMs) throw error;

      const jittered = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      const delayMs = Math.max(jittered, decision.retryAfterMs ?? 0);
      options.onRetry?.({ attempt, delayMs, reason: decision.reason, error });
      await wait(delayMs);
    }
  }
}

/**
 * Reads a Retry-After header: delay-seconds or an HTTP date.
 * Returns milliseconds, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Errors thrown by fetch/undici when the connection failed or was dropped. */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|ENOTFOUND|EAI_AGAIN)$/.test(code)) {
    return true;
  }
  return error.name === 'TypeError' && /fetch failed|terminated|socket hang up/i.test(error.message);
}
