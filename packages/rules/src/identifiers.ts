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

/**
 * R14 across Salesforce orgs: a record names its Brevo contact by its Salesforce Id (`ext_id`), and Ids repeat across
 * orgs when one was copied from the other (a full-copy sandbox keeps its production org's Ids). While an integration
 * of the same account on another org links the record's Id, the contact holding that ext_id is the other org's
 * record's: a record that would reach its contact by that ext_id (no link of its own yet, or a link an import made,
 * which knows its contact by ext_id only: `ownContactKnown` false) is not synced, so that two records are never
 * mixed into one contact. A link that knows its contact's id is this record's own contact: it syncs as before.
 */
export function checkLinkedFromOtherOrg(linkedByOtherOrg: boolean, ownContactKnown: boolean): RuleIssue | null {
  return linkedByOtherOrg && !ownContactKnown ? createIssue(RuleCode.LinkedFromOtherOrg, 'ext_id') : null;
}
