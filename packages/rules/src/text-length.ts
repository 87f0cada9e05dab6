import { RuleCode } from './codes.ts';
import { isTextField } from './field-eligibility.ts';
import type { SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * R9: a Brevo value longer than the Salesforce field's `length` (Lead
 * FirstName: 40, LastName: 80) is not written and puts the record in error.
 * Length counts UTF-16 code units, as Salesforce does. `null` when it fits
 * or the field has no length limit.
 */
export function checkTextLength(field: SalesforceField, value: string): RuleIssue | null {
  const max = field.length ?? 0;
  if (!isTextField(field) || max <= 0 || value.length <= max) return null;
  return createIssue(RuleCode.TextTooLong, field.name, { max, length: value.length });
}
