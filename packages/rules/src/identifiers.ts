import { RuleCode } from './codes.ts';
import { BREVO_EMAIL_ATTRIBUTE, BREVO_SMS_ATTRIBUTE } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * R5 per record: Brevo knows a contact by its email or its mobile number. A record that would be
 * created with neither is not sent to Brevo (a warning, no operation charged); a contact already
 * linked keeps what Brevo holds (R14). The issue names the Salesforce field mapped to EMAIL (or SMS).
 */
export function checkContactIdentifier(
  values: { readonly email?: string | undefined; readonly sms?: string | undefined },
  mapping: Readonly<Record<string, string>>,
  linked: boolean,
): RuleIssue | null {
  if (linked || values.email || values.sms) return null;
  return createIssue(RuleCode.NoEmailOrSms, mapping[BREVO_EMAIL_ATTRIBUTE] ?? mapping[BREVO_SMS_ATTRIBUTE]);
}
