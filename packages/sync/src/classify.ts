import { BrevoError } from '@getbrevo/brevo';
import { isBrevoTimeout, readRateLimit, type BrevoRateLimit, type HeaderBag } from '@contact-sync/brevo';
import { DEFAULT_RETRY_OPTIONS, isNetworkError, parseRetryAfter, withRetry, type RetryDecision, type RetryOptions } from '@contact-sync/retry';
import { localBrevoLimits, RateBudgetWaitError, type BrevoRateLimits } from './rate-limits.ts';

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
  if (cause instanceof RateBudgetWaitError) return { kind: 'brevo_rate_limited', retryAfterMs: cause.retryAfterMs, message };
  if (cause instanceof BrevoError && cause.statusCode === 429) {
    const decision = classifyBrevoCall(cause);
    return { kind: 'brevo_rate_limited', retryAfterMs: decision.retryAfterMs ?? 60_000, message };
  }
  return { kind: 'other', message };
}

/** Salesforce refused a call for a limit: the daily allowance or concurrent requests (REQUEST_LIMIT_EXCEEDED), or an HTTP 429. */
export function isSalesforceRateLimited(error: unknown): boolean {
  const code = salesforceErrorCode(error);
  return code === 'REQUEST_LIMIT_EXCEEDED' || code === 'ERROR_HTTP_429';
}

export interface CallPolicy {
  retry?: RetryOptions;
  /** Counts calls per API (each attempt), for runs, benchmarks and the worker's metrics. */
  onCall?: (api: 'salesforce' | 'brevo', label: string) => void;
  /** An attempt the API refused for a rate limit (Brevo's 429, Salesforce's `isSalesforceRateLimited`). */
  onRateLimited?: (api: 'salesforce' | 'brevo', label: string) => void;
  /** The Brevo account's rate limits (default: each caller paces itself by the headers it sees). */
  brevoLimits?: BrevoRateLimits;
}

export function salesforceCaller(policy: CallPolicy = {}) {
  return <T>(label: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(
      async () => {
        policy.onCall?.('salesforce', label);
        try {
          return await fn();
        } catch (error) {
          if (isSalesforceRateLimited(error)) policy.onRateLimited?.('salesforce', label);
          throw error;
        }
      },
      classifySalesforceCall,
      policy.retry,
    );
}

/**
 * Brevo calls through the retry policy, within the account's rate limits
 * (`policy.brevoLimits`: shared by every worker in the database; by default
 * this caller's own pacing): each attempt waits for the account's budget,
 * and what the response's rate-limit headers say (a 429's too) is shared, so
 * a used-up window holds every caller until its reset instead of earning 429s.
 */
export function brevoCaller(policy: CallPolicy = {}) {
  const limits = policy.brevoLimits ?? localBrevoLimits();
  const maxWaitMs = policy.retry?.maxServerWaitMs ?? DEFAULT_RETRY_OPTIONS.maxServerWaitMs;
  return <T>(label: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(
      async () => {
        await limits.beforeCall(label, maxWaitMs);
        policy.onCall?.('brevo', label);
        try {
          const result = await fn();
          const rateLimit = (result as { rateLimit?: BrevoRateLimit } | null)?.rateLimit;
          if (rateLimit) await limits.afterCall(label, rateLimit);
          return result;
        } catch (error) {
          if (error instanceof BrevoError && error.statusCode === 429) {
            policy.onRateLimited?.('brevo', label);
            const headers = readRateLimit(error.rawResponse?.headers as HeaderBag | undefined);
            await limits.afterCall(label, { ...headers, remaining: 0, resetSeconds: headers.resetSeconds ?? 1 });
          }
          throw error;
        }
      },
      classifyBrevoCall,
      policy.retry,
    );
}

export type Caller = ReturnType<typeof salesforceCaller>;
