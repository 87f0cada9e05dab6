import { IntegrationStatus, isSyncing } from '@contact-sync/rules';
import { mappingOf, type IntegrationDoc, type RunDoc, type SyncStore } from '@contact-sync/store';
import { retrySalesforceRecords, type IntegrationStatusPort } from '@contact-sync/sync';
import { randomUUID } from 'node:crypto';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { brevoClientFor, REQUEST_RETRY } from './brevo-access.ts';
import { salesforceFor } from './salesforce-access.ts';

/** Records read again by one retry (the latest retryable errors). */
export const RETRY_MAX_RECORDS = 1_000;
/** The retry holds the integration's lease like a worker run; far longer than 1,000 records take. */
const RETRY_LEASE_MS = 5 * 60_000;

const SYNCING = [IntegrationStatus.Active, IntegrationStatus.Error];

/** Status changes of the engine during a retry, conditional like the worker's (a pause or delete meanwhile wins). */
function statusPort(ctx: BffContext, accountId: string): IntegrationStatusPort {
  return {
    async setStatus(integrationId, change) {
      const now = ctx.now();
      if (change.status === IntegrationStatus.AuthError) await ctx.integrations.markAuthError(accountId, integrationId, change.code ?? 'auth_error', now);
      else await ctx.integrations.transition(accountId, integrationId, SYNCING, change.status, change.code ? { statusReason: { code: change.code, at: now } } : {});
    },
  };
}

/**
 * "Retry failed records": the Salesforce records of the latest retryable
 * Salesforce → Brevo record errors are read again and synced now by the
 * engine (`retrySalesforceRecords`), under the integration's lease so no
 * worker run overlaps. Brevo → Salesforce errors are not retried here: a fix
 * made in Brevo arrives by webhook on its own. A record that is fine again is
 * unchanged for the planner and costs nothing.
 */
export async function retryRecordErrors(ctx: BffContext, store: SyncStore, integration: IntegrationDoc): Promise<{ retried: number; run: RunDoc | null }> {
  const id = integration._id.toHexString();
  const mapping = mappingOf(integration);
  if (!isSyncing(integration.status) || !mapping || !integration.list) throw new ApiError('invalid_state', { status: integration.status });
  const ids = await store.errors.retryableSalesforceIds(id, RETRY_MAX_RECORDS);
  if (ids.length === 0) return { retried: 0, run: null };

  const brevo = await brevoClientFor(ctx, integration.accountId);
  const salesforce = salesforceFor(ctx, integration);
  const account = await ctx.accounts.find(integration.accountId);
  const lease = await store.leases.acquire(id, `bff-retry:${randomUUID()}`, RETRY_LEASE_MS, ctx.now());
  if (!lease) throw new ApiError('invalid_state', { status: integration.status, reason: 'sync_running' });
  try {
    const result = await retrySalesforceRecords(
      { id, accountId: integration.accountId, kind: integration.kind, status: integration.status, mapping, listId: integration.list.id, notificationEmail: account?.notificationEmail ?? null },
      ids,
      { salesforce: salesforce.connection, brevo, store, statuses: statusPort(ctx, integration.accountId), now: ctx.now, options: { retry: REQUEST_RETRY } },
    );
    if (result.end === 'auth_error') throw new ApiError('salesforce_reconnect_required');
    if (result.end === 'quota_exceeded') throw new ApiError('quota_exceeded');
    if (result.end === 'paused') throw new ApiError('upstream_rate_limited');
    if (result.end !== 'completed') throw new ApiError('upstream_error');
    return { retried: ids.length, run: result.runId ? await store.runs.get(result.runId) : null };
  } finally {
    await store.leases.release(lease);
  }
}
