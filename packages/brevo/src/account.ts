import type { RetryOptions } from '@contact-sync/retry';
import type { BrevoClient } from '@getbrevo/brevo';
import { brevoCall } from './call.ts';

export interface BrevoAccountSummary {
  email: string;
  companyName: string | null;
}

/** `GET /account`: also the cheapest way to check that an API key is accepted. */
export async function getAccount(client: BrevoClient, retry?: RetryOptions): Promise<BrevoAccountSummary> {
  const account = await brevoCall(() => client.account.getAccount(), { idempotent: true, ...(retry ? { retry } : {}) });
  return { email: account.email, companyName: account.companyName ?? null };
}
