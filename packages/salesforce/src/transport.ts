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

export function configureSalesforceTransport(options: SalesforceTransportOptions = {}): void {
  setDefaults({ httpProxy: options.httpProxy, timeout: options.timeoutMs, followRedirect: true });
}

configureSalesforceTransport({ timeoutMs: 60_000 });
