import { statusAfterRun } from '@contact-sync/rules';
import { applyBrevoEvents, type BrevoToSalesforceResult } from './brevo-to-salesforce.ts';
import type { IntegrationSnapshot } from './integration.ts';
import { repairLinkMapping } from './link-repair.ts';
import { retrySalesforceRecords, syncSalesforceToBrevo, withRunFieldsLoader, type EngineDeps, type SalesforceToBrevoResult } from './salesforce-to-brevo.ts';

export interface IntegrationRunResult {
  brevoToSalesforce: BrevoToSalesforceResult;
  salesforceToBrevo: SalesforceToBrevoResult | null;
  /** Records the user asked to retry, when there were any. */
  retried: SalesforceToBrevoResult | null;
}

/**
 * One sync of one integration, as the worker runs it (under its lease):
 * a saved mapping that feeds a link attribute is repaired first (link-repair.ts), then
 * the Brevo changes received by webhook (so a later Brevo edit wins over
 * an older Salesforce one, R17), then Salesforce → Brevo. The status follows
 * SPEC §4: `error` while the last run had record errors, `active` once it has
 * none; `auth_error` and `disabled_quota` are set where they happen.
 */
export async function runIntegration(saved: IntegrationSnapshot, engineDeps: EngineDeps): Promise<IntegrationRunResult> {
  const deps = withRunFieldsLoader(engineDeps);
  const { integration } = await repairLinkMapping(saved, deps);
  const brevoToSalesforce = await applyBrevoEvents(integration, deps);
  if (brevoToSalesforce.end === 'auth_error' || brevoToSalesforce.end === 'quota_exceeded' || brevoToSalesforce.end === 'paused') {
    return { brevoToSalesforce, salesforceToBrevo: null, retried: null };
  }
  const salesforceToBrevo = await syncSalesforceToBrevo(integration, deps);
  let retried: SalesforceToBrevoResult | null = null;
  // The records the user asked to retry, as the run's state holds them (a later request asks for a run of its own).
  const retryIds = salesforceToBrevo.end !== 'completed' ? [] : deps.state ? (deps.state.retrySalesforceIds ?? []) : await deps.store.state.retryRequests(integration.id);
  if (retryIds.length > 0) {
    retried = await retrySalesforceRecords(integration, retryIds, deps);
    if (retried.end === 'completed') await deps.store.state.clearRetry(integration.id, retryIds);
  }
  if (salesforceToBrevo.end === 'completed' && brevoToSalesforce.end === 'completed') {
    const errors = brevoToSalesforce.errors + salesforceToBrevo.errors;
    const next = statusAfterRun(integration.status, errors);
    if (next !== integration.status) await deps.statuses.setStatus(integration.id, { status: next, ...(errors > 0 ? { code: 'record_errors' } : {}) });
  }
  return { brevoToSalesforce, salesforceToBrevo, retried };
}
