import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { decideBrevoToSalesforce } from './brevo-to-salesforce.ts';

export type SalesforceDeleteAction = 'remove_from_list' | 'unlink';

/**
 * R13: a Salesforce record deleted: its Brevo contact is removed from the
 * integration's list and unlinked (`ext_id` cleared); the contact itself
 * stays in Brevo. A record never synced (`linked: false`) needs nothing.
 */
export function decideSalesforceDelete(linked: boolean): readonly SalesforceDeleteAction[] {
  return linked ? ['remove_from_list', 'unlink'] : [];
}

export type BrevoDeleteDecision =
  | { readonly action: 'delete_salesforce_record'; readonly salesforceId: string }
  | { readonly action: 'ignore'; readonly issue: RuleIssue };

/** R13 (+R12): a Brevo contact deleted: delete its Salesforce record when it is linked to one. */
export function decideBrevoDelete(extId: string | null | undefined): BrevoDeleteDecision {
  const decision = decideBrevoToSalesforce(extId);
  return decision.sync
    ? { action: 'delete_salesforce_record', salesforceId: decision.salesforceId }
    : { action: 'ignore', issue: decision.issue };
}

export type SalesforceDeleteOutcome =
  | { readonly outcome: 'deleted' }
  | { readonly outcome: 'error'; readonly issue: RuleIssue; readonly retryable: boolean };

// Transient conditions worth another attempt on the next run.
const RETRYABLE_STATUS_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE']);

/**
 * R13: reads a failed Salesforce delete (`errors[0].statusCode` of an sObject
 * Collections result). `DELETE_FAILED` (e.g. a Contact with Cases) is a record
 * error, `delete_refused`, never retried. An already deleted record counts as
 * deleted.
 */
export function classifySalesforceDeleteError(statusCode: string, message = ''): SalesforceDeleteOutcome {
  if (statusCode === 'ENTITY_IS_DELETED') return { outcome: 'deleted' };
  if (statusCode === 'DELETE_FAILED') {
    return { outcome: 'error', issue: createIssue(RuleCode.DeleteRefused, 'Id', { reason: message || statusCode }), retryable: false };
  }
  return {
    outcome: 'error',
    issue: createIssue(RuleCode.DeleteFailed, 'Id', { reason: message || statusCode }),
    retryable: RETRYABLE_STATUS_CODES.has(statusCode),
  };
}
