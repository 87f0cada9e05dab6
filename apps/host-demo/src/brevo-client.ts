import { RetriesExhaustedError, withRetry, type ErrorClassifier } from '@contact-sync/retry';

/** The few Brevo calls the host's Contacts page makes, server side, with the account's API key. */
export interface BrevoContact {
  id: number;
  email?: string;
  attributes: Record<string, unknown>;
  listIds: number[];
  modifiedAt: string;
}

export interface SentEmail {
  messageId: string;
  accountId: string;
  sentAt: string;
  to: { email: string; name?: string }[];
  subject: string;
  textContent?: string;
  htmlContent?: string;
  tags: string[];
}

export class BrevoCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For a 429: how long Brevo asks to wait (`x-sib-ratelimit-reset`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const RATE_LIMIT_RETRIES = 3;

/** Brevo's `x-sib-ratelimit-reset` is the seconds until the window resets; at least 100 ms, at most 3 s. */
export function rateLimitWaitMs(reset: string | null): number {
  const seconds = Number(reset);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(3_000, Math.max(100, seconds * 1_000)) : 500;
}

/**
 * The page stands in for Brevo's own dashboard, which API rate limits do not reach; the demo shares the account's
 * API budget with the integrations' syncs, so a 429 (a request Brevo did not handle) is sent again after the
 * window Brevo names, a few times at most. Any other failure is shown as it is.
 */
const rateLimitedOnly: ErrorClassifier = (error) =>
  error instanceof BrevoCallError && error.status === 429 ? { retry: true, reason: 'http_429', ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) } : { retry: false };

export function createBrevoClient(apiUrl: string, fetchImpl: typeof fetch = fetch) {
  const base = apiUrl.replace(/\/+$/, '');
  /** The sandbox's control routes live beside /v3. */
  const sandboxBase = base.replace(/\/v3$/, '');

  async function callOnce<T>(apiKey: string, method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetchImpl(`${base}${path}`, {
      method,
      headers: { 'api-key': apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      const text = await response.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      const retryAfterMs = response.status === 429 ? rateLimitWaitMs(response.headers.get('x-sib-ratelimit-reset')) : undefined;
      throw new BrevoCallError(response.status, message || response.statusText, retryAfterMs);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async function call<T>(apiKey: string, method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await withRetry(() => callOnce<T>(apiKey, method, path, body), rateLimitedOnly, { maxAttempts: 1 + RATE_LIMIT_RETRIES, baseDelayMs: 100, maxDelayMs: 3_000 });
    } catch (error) {
      // The page shows Brevo's own answer, not the retry policy's wrapper.
      throw error instanceof RetriesExhaustedError ? error.lastError : error;
    }
  }

  return {
    listContacts: (apiKey: string, offset: number, limit: number) =>
      call<{ contacts: BrevoContact[]; count: number }>(apiKey, 'GET', `/contacts?limit=${limit}&offset=${offset}&sort=desc`),
    getContact: (apiKey: string, id: number) => call<BrevoContact>(apiKey, 'GET', `/contacts/${id}?identifierType=contact_id`),
    updateContact: (apiKey: string, id: number, attributes: Record<string, string | null>) =>
      call<void>(apiKey, 'PUT', `/contacts/${id}?identifierType=contact_id`, { attributes }),
    deleteContact: (apiKey: string, id: number) => call<void>(apiKey, 'DELETE', `/contacts/${id}?identifierType=contact_id`),
    /** The Brevo sandbox's inbox of transactional emails (not a Brevo API: sandbox only). */
    async inbox(accountId: string): Promise<SentEmail[]> {
      const response = await fetchImpl(`${sandboxBase}/__sandbox/inbox`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new BrevoCallError(response.status, 'inbox unavailable');
      const { emails } = (await response.json()) as { emails: SentEmail[] };
      return emails.filter((email) => email.accountId === accountId).reverse();
    },
  };
}

export type BrevoClient = ReturnType<typeof createBrevoClient>;
