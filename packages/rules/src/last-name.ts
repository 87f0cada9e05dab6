import { RuleCode } from './codes.ts';
import type { SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { isEmptied } from './values.ts';

export const LAST_NAME_FIELD = 'LastName';

/**
 * R8: a Brevo change that empties LastName is not written to Salesforce
 * (record warning; the other fields are written). The same holds for every
 * field Salesforce requires (`nillable: false`, e.g. a Lead's Company):
 * writing an empty value would make Salesforce refuse the whole record.
 * `null` when the value may be written.
 */
export function checkEmptiedRequiredField(field: SalesforceField, value: unknown): RuleIssue | null {
  if (!isEmptied(value)) return null;
  if (field.name === LAST_NAME_FIELD) return createIssue(RuleCode.LastNameEmptied, field.name);
  if (field.nillable === false) return createIssue(RuleCode.RequiredFieldEmptied, field.name);
  return null;
}
