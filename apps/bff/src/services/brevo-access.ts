import { classifyBrevoError, createBrevoClient } from '@contact-sync/brevo';
import { RetriesExhaustedError } from '@contact-sync/retry';
import type { BrevoClient } from '@getbrevo/brevo';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';

/**
 * The account's Brevo client: its own key (sealed in the store), else the
 * single-tenant default BREVO_API_KEY.
 */
export async function brevoClientFor(ctx: BffContext, accountId: string): Promise<BrevoClient> {
  const apiKey = (await ctx.accounts.brevoApiKey(accountId)) ?? ctx.config.BREVO_API_KEY ?? null;
  if (!apiKey) throw new ApiError('brevo_not_configured');
  return createBrevoClient({ apiKey, baseUrl: ctx.config.BREVO_API_URL, timeoutSeconds: 20 });
}

export async function isBrevoConfigured(ctx: BffContext, accountId: string): Promise<boolean> {
  if (ctx.config.BREVO_API_KEY) return true;
  return (await ctx.accounts.find(accountId))?.brevoApiKey != null;
}

/** A failed Brevo call as the API answers it. */
export function brevoFailure(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const cause = error instanceof RetriesExhaustedError ? error.lastError : error;
  const { kind } = classifyBrevoError(cause, { idempotent: true });
  if (kind === 'unauthorized') return new ApiError('brevo_key_rejected');
  if (kind === 'rate_limited') return new ApiError('upstream_rate_limited');
  return new ApiError('upstream_error');
}

/** Retries in a request path stay short: the user is waiting. */
export const REQUEST_RETRY = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1_000, maxServerWaitMs: 3_000 } as const;
