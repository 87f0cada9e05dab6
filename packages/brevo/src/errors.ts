import { isNetworkError, parseRetryAfter, type RetryDecision } from '@contact-sync/retry';
import { BrevoError, BrevoTimeoutError } from '@getbrevo/brevo';

/**
 * Retry decision for a failed Brevo call. Idempotent calls (GET, PUT,
 * DELETE) retry on 429, 5xx, timeouts and network failures. A non-idempotent
 * POST retries only when Brevo cannot have acted on it: 429 (refused by the
 * rate limiter) or a connection that was never made.
 */
export interface BrevoErrorClass extends RetryDecision {
  /** `unauthorized` (key refused), `not_found`, `rate_limited`, `server`, `network`, `timeout`, `refused`. */
  kind: 'unauthorized' | 'not_found' | 'rate_limited' | 'server' | 'network' | 'timeout' | 'refused';
  status?: number;
}

function header(error: BrevoError, name: string): string | null {
  const headers = error.rawResponse?.headers as { get?: (name: string) => string | null } | undefined;
  return typeof headers?.get === 'function' ? headers.get(name) : null;
}

/** Brevo's own pacing: `x-sib-ratelimit-reset` (seconds), else `Retry-After`. */
export function brevoRetryAfterMs(error: BrevoError): number | undefined {
  const reset = header(error, 'x-sib-ratelimit-reset');
  if (reset !== null && /^\d+(\.\d+)?$/.test(reset.trim())) return Math.ceil(Number(reset) * 1000);
  return parseRetryAfter(header(error, 'retry-after'));
}

function connectionRefused(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 4; depth += 1) {
    if ((cause as { code?: unknown }).code === 'ECONNREFUSED') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A call the client gave up on after its `timeoutInSeconds`. `@getbrevo/brevo`
 * 6.0.3 documents BrevoTimeoutError but never throws it: its timer aborts the
 * fetch with the string "timeout" as the reason, which the fetcher reports as
 * an unknown BrevoError (no status, message `"timeout"`) with that string as
 * its cause. Both are recognised.
 */
export function isBrevoTimeout(error: unknown): boolean {
  return error instanceof BrevoTimeoutError || (error instanceof BrevoError && error.statusCode === undefined && error.cause === 'timeout');
}

export function classifyBrevoError(error: unknown, options: { idempotent: boolean }): BrevoErrorClass {
  const { idempotent } = options;
  if (isBrevoTimeout(error)) return { kind: 'timeout', retry: idempotent, reason: 'timeout' };
  if (error instanceof BrevoError && error.statusCode === undefined) {
    const refused = connectionRefused(error);
    const network = refused || isNetworkError(error.cause);
    return { kind: network ? 'network' : 'refused', retry: refused || (network && idempotent), reason: network ? 'network' : 'unknown' };
  }
  if (!(error instanceof BrevoError)) {
    const refused = connectionRefused(error);
    return { kind: refused || isNetworkError(error) ? 'network' : 'refused', retry: refused || (idempotent && isNetworkError(error)), reason: 'network' };
  }
  const status = error.statusCode!;
  if (status === 429) {
    const retryAfterMs = brevoRetryAfterMs(error);
    return { kind: 'rate_limited', status, retry: true, reason: 'http_429', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 500) return { kind: 'server', status, retry: idempotent, reason: `http_${status}` };
  if (status === 401 || status === 403) return { kind: 'unauthorized', status, retry: false, reason: `http_${status}` };
  if (status === 404) return { kind: 'not_found', status, retry: false, reason: 'http_404' };
  return { kind: 'refused', status, retry: false, reason: `http_${status}` };
}
