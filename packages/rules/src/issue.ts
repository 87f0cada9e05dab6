import { CODE_INFO, type MessageKey, type RuleCode, type RuleId } from './codes.ts';

export type IssueParams = Readonly<Record<string, string | number>>;

/**
 * The one result shape of every rule. `field` names what the issue is about:
 * the Brevo attribute for mapping issues (the form row), the Salesforce field
 * for per-record issues (the run record), the input path for request issues.
 * `params` always repeats `field`, so `t(issue.messageKey, issue.params)`
 * is all a vue-i18n caller needs.
 */
export interface RuleIssue {
  readonly code: RuleCode;
  readonly rule: RuleId;
  readonly messageKey: MessageKey;
  readonly field?: string;
  readonly params: IssueParams;
}

export function createIssue(code: RuleCode, field?: string, params: IssueParams = {}): RuleIssue {
  const { messageKey, rule } = CODE_INFO[code];
  if (field === undefined) return { code, rule, messageKey, params };
  return { code, rule, messageKey, field, params: { field, ...params } };
}
