import { BrevoClient } from '@getbrevo/brevo';

export interface CreateBrevoClientOptions {
  apiKey: string;
  /** `https://api.brevo.com/v3` in production, the sandbox's `/v3` otherwise. */
  baseUrl: string;
  timeoutSeconds?: number;
}

/**
 * The official SDK with its own retries off: it retries non-idempotent POSTs
 * and ignores `x-sib-ratelimit-reset`, so every call goes through
 * `withRetry(…, classifyBrevoError)` instead.
 */
export function createBrevoClient(options: CreateBrevoClientOptions): BrevoClient {
  return new BrevoClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    maxRetries: 0,
    timeoutInSeconds: options.timeoutSeconds ?? 30,
  });
}
