import { setDefaults } from 'jsforce/lib/request.js';

/**
 * jsforce reads `https_proxy`/`http_proxy` once, when it is loaded, sends every
 * request through that proxy (localhost too) and ignores NO_PROXY. We set its
 * transport defaults explicitly instead: no proxy unless configured.
 */
export interface SalesforceTransportOptions {
  /** Proxy URL for Salesforce calls; none by default, whatever the environment says. */
  httpProxy?: string | undefined;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number | undefined;
}

/**
 * jsforce's own retries are off (`maxRetries: 0`): every Salesforce call of the product goes through the
 * retry policy (`@contact-sync/retry`, with the error classification of `errors.ts`). Under it, jsforce
 * retried each GET 5 more times on a 5xx or a dropped connection (0.5 + 1 + 2 + 4 + 8 s), so a failing
 * org held a worker slot about 80 s per run, and a GET was sent up to 30 times.
 */
export function configureSalesforceTransport(options: SalesforceTransportOptions = {}): void {
  setDefaults({ httpProxy: options.httpProxy, timeout: options.timeoutMs, followRedirect: true, retry: { maxRetries: 0 } });
}

configureSalesforceTransport({ timeoutMs: 60_000 });
