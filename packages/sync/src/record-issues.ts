import { fixHintKey, type RuleIssue } from '@contact-sync/rules';
import type { RecordContact, RecordErrorDoc, RunDirection } from '@contact-sync/store';

const RETRYABLE = new Set(['delete_failed', 'text_too_long', 'invalid_input', 'salesforce_rejected', 'duplicate']);

export interface IssueContext {
  integrationId: string;
  runId: string;
  direction: RunDirection;
  object: string;
  salesforceId: string | null;
  brevoId?: number | null;
  contact?: RecordContact | null;
  at: Date;
}

export function recordErrorOf(issue: RuleIssue, severity: 'error' | 'warning', context: IssueContext): RecordErrorDoc {
  return {
    integrationId: context.integrationId,
    runId: context.runId,
    direction: context.direction,
    object: context.object,
    salesforceId: context.salesforceId,
    brevoId: context.brevoId ?? null,
    field: issue.field ?? null,
    code: issue.code,
    rule: issue.rule,
    messageKey: issue.messageKey,
    params: { ...issue.params },
    severity,
    fixHintKey: fixHintKey(issue.code),
    retryable: severity === 'error' && RETRYABLE.has(issue.code),
    at: context.at,
    contact: context.contact ?? null,
  };
}
