import { RuleCode } from './codes.ts';
import { BREVO_EMAIL_ATTRIBUTE, BREVO_SMS_ATTRIBUTE } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/** The identifying values Brevo keeps unique per account. */
export type DuplicateField = 'email' | 'sms';

/** R15: the issue of a record whose email or SMS another Brevo contact holds. */
export function duplicateIssue(field: DuplicateField): RuleIssue {
  return createIssue(RuleCode.Duplicate, field, {
    attribute: field === 'email' ? BREVO_EMAIL_ATTRIBUTE : BREVO_SMS_ATTRIBUTE,
  });
}

/**
 * R15: a new email or SMS that already belongs to another Brevo contact is a
 * record error, never a merge. `ownerId` is the Brevo contact currently
 * holding the value (`null`/`undefined` when none), `selfId` the contact
 * being written (`null`/`undefined` when it is about to be created).
 */
export function checkDuplicate(
  field: DuplicateField,
  ownerId: string | number | null | undefined,
  selfId: string | number | null | undefined,
): RuleIssue | null {
  if (ownerId == null) return null;
  return ownerId === selfId ? null : duplicateIssue(field);
}

export interface IdentityClaim {
  /** The record's key, e.g. its Salesforce Id. */
  readonly key: string;
  readonly email?: string;
  readonly sms?: string;
}

/**
 * R15 within one batch: when several records claim the same email or SMS,
 * the first (in watermark order) keeps it and each later one gets a
 * `duplicate` error. Emails are compared case-insensitively.
 */
export function findDuplicatesInBatch(claims: readonly IdentityClaim[]): Map<string, RuleIssue[]> {
  const seen = { email: new Map<string, string>(), sms: new Map<string, string>() };
  const issues = new Map<string, RuleIssue[]>();
  const claim = (field: DuplicateField, value: string | undefined, key: string) => {
    if (value === undefined || value === '') return;
    const owner = seen[field].get(value);
    if (owner === undefined) seen[field].set(value, key);
    else if (owner !== key) issues.set(key, [...(issues.get(key) ?? []), duplicateIssue(field)]);
  };
  for (const { key, email, sms } of claims) {
    claim('email', email?.toLowerCase(), key);
    claim('sms', sms, key);
  }
  return issues;
}

/**
 * R15 from Brevo's answer: `400 duplicate_parameter` on create/update says
 * which identifier clashed ("SMS is already associated with another Contact",
 * "Contact already exist"). `null` when the error is not a duplicate.
 */
export function duplicateFieldFromBrevoError(body: { code?: unknown; message?: unknown } | null | undefined): DuplicateField | null {
  if (body?.code !== 'duplicate_parameter') return null;
  const message = typeof body.message === 'string' ? body.message : '';
  return /\bSMS\b|phone/i.test(message) ? 'sms' : 'email';
}
