import { BrevoError } from '@getbrevo/brevo';
import { isBrevoTimeout, readRateLimit, type HeaderBag } from '@contact-sync/brevo';
import { isNetworkError, parseRetryAfter, sleep, withRetry, type RetryDecision, type RetryOptions } from '@contact-sync/retry';

/**
 * Retry classification of the two APIs' errors as the sync sees them. (The
 * shared `classifySalesforceError` / `classifyBrevoError` of the client
 * packages take over when they land; the decisions are the same.)
 */

const SALESFORCE_TRANSIENT = new Set(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'UNKNOWN_EXCEPTION', 'ERROR_HTTP_429', 'ERROR_HTTP_500', 'ERROR_HTTP_502', 'ERROR_HTTP_503', 'ERROR_HTTP_504', 'ERROR_HTTP_420']);

export function salesforceErrorCode(error: unknown): string | undefined {
  const code = (error as { errorCode?: unknown; name?: unknown } | null)?.errorCode;
  return typeof code === 'string' ? code : undefined;
}

/** The org's daily API allowance is used up (not worth retrying now; runs pause). */
export function isDailyLimit(error: unknown): boolean {
  return salesforceErrorCode(error) === 'REQUEST_LIMIT_EXCEEDED' && /TotalRequests/i.test(error instanceof Error ? error.message : '');
}

export function classifySalesforceCall(error: unknown): RetryDecision {
  const code = salesforceErrorCode(error);
  // REQUEST_LIMIT_EXCEEDED is also Salesforce's answer to too many concurrent requests: retried, unless it is the daily limit.
  if (code === 'REQUEST_LIMIT_EXCEEDED') return isDailyLimit(error) ? { retry: false, reason: 'daily_limit' } : { retry: true, reason: code };
  if (code && SALESFORCE_TRANSIENT.has(code)) return { retry: true, reason: code };
  if (isNetworkError(error)) return { retry: true, reason: 'network' };
  return { retry: false, ...(code ? { reason: code } : {}) };
}

export function classifyBrevoCall(error: unknown): RetryDecision {
  if (isBrevoTimeout(error)) return { retry: true, reason: 'timeout' };
  if (error instanceof BrevoError) {
    const status = error.statusCode;
    if (status === 429) {
      const headers = error.rawResponse?.headers as HeaderBag | undefined;
      const reset = readRateLimit(headers).resetSeconds;
      const retryAfter = parseRetryAfter(headers?.get?.('retry-after'));
      const wait = retryAfter ?? (reset === undefined ? undefined : reset * 1000);
      return wait === undefined ? { retry: true, reason: 'http_429' } : { retry: true, reason: 'http_429', retryAfterMs: wait };
    }
    if (status !== undefined && status >= 500) return { retry: true, reason: `http_${status}` };
    if (status === undefined) return { retry: isNetworkError(error.cause) || isNetworkError(error), reason: 'network' };
    return { retry: false, reason: `http_${status}` };
  }
  return isNetworkError(error) ? { retry: true, reason: 'network' } : { retry: false };
}

/** The failure kinds that change what happens to the integration, not just to one call. */
export type IntegrationFault =
  | { kind: 'auth'; message: string }
  | { kind: 'salesforce_limit'; message: string }
  | { kind: 'brevo_rate_limited'; retryAfterMs: number; message: string }
  | { kind: 'other'; message: string };

export function faultOf(error: unknown): IntegrationFault {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { lastError?: unknown }).lastError ?? error;
  const code = salesforceErrorCode(cause);
  const names = [cause, (cause as { cause?: unknown } | null)?.cause].map((e) => (e as { name?: unknown } | null)?.name);
  if (names.includes('SalesforceAuthRevokedError')) {
    return { kind: 'auth', message: 'Salesforce refused the stored credentials; the integration must be reconnected.' };
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') return { kind: 'salesforce_limit', message };
  if (code === 'invalid_grant' || code === 'INVALID_SESSION_ID' || code === 'INVALID_AUTH_HEADER' || /refresh token|invalid_grant|expired access\/refresh token/i.test(message)) {
    return { kind: 'auth', message: 'Salesforce refused the stored credentials; the integration must be reconnected.' };
  }
  if (cause instanceof BrevoError && cause.statusCode === 401) return { kind: 'auth', message: 'Brevo refused the API key.' };
  if (cause instanceof BrevoError && cause.statusCode === 429) {
    const decision = classifyBrevoCall(cause);
    return { kind: 'brevo_rate_limited', retryAfterMs: decision.retryAfterMs ?? 60_000, message };
  }
  return { kind: 'other', message };
}

export interface CallPolicy {
  retry?: RetryOptions;
  /** Counts calls per API, for runs and benchmarks. */
  onCall?: (api: 'salesforce' | 'brevo', label: string) => void;
}

export function salesforceCaller(policy: CallPolicy = {}) {
  return <T>(label: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(
      () => {
        policy.onCall?.('salesforce', label);
        return fn();
      },
      classifySalesforceCall,
      policy.retry,
    );
}

/**
 * Brevo calls through the retry policy, paced by the rate-limit headers: when
 * a response says the window is used up (`x-sib-ratelimit-remaining: 0`), the
 * next call waits for `x-sib-ratelimit-reset` instead of earning a 429.
 */
export function brevoCaller(policy: CallPolicy = {}) {
  let notBefore = 0;
  return async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const wait = notBefore - Date.now();
    if (wait > 0) await sleep(Math.min(wait, policy.retry?.maxServerWaitMs ?? 60_000));
    const result = await withRetry(
      () => {
        policy.onCall?.('brevo', label);
        return fn();
      },
      classifyBrevoCall,
      policy.retry,
    );
    const rateLimit = (result as { rateLimit?: { remaining?: number; resetSeconds?: number } } | null)?.rateLimit;
    if (rateLimit?.remaining === 0 && rateLimit.resetSeconds !== undefined) notBefore = Date.now() + rateLimit.resetSeconds * 1000;
    return result;
  };
}

export type Caller = ReturnType<typeof salesforceCaller>;
