import { withRetry, type RetryOptions } from '@contact-sync/retry';
import { classifyBrevoError } from './errors.ts';

/** One Brevo call under the shared retry policy. */
export function brevoCall<T>(operation: () => Promise<T>, options: { idempotent: boolean; retry?: RetryOptions }): Promise<T> {
  return withRetry(operation, (error) => classifyBrevoError(error, { idempotent: options.idempotent }), options.retry);
}
