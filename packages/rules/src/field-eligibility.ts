import { RuleCode } from './codes.ts';
import type { BrevoTargetKind, SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * R5/R6 from the Salesforce side: which kinds of Brevo attribute a field may
 * feed, or why it cannot be mapped at all.
 */
export type FieldEligibility =
  | { readonly mappable: true; readonly targets: ReadonlySet<BrevoTargetKind> }
  | { readonly mappable: false; readonly issue: RuleIssue };

const targets = (...kinds: BrevoTargetKind[]): ReadonlySet<BrevoTargetKind> => new Set(kinds);

/**
 * R5 compatibility by Salesforce type. Decisions beyond the SPEC's list:
 * - `string` may feed EMAIL (SPEC: "email/string → text or EMAIL"); each
 *   record's value is then checked as an email address (`email_invalid`).
 * - only `phone` feeds SMS: R10 (6–16 digits) is defined for phone fields,
 *   and a free text field holding phone numbers should be a phone field.
 * - `textarea` and `url` feed text only; numbers and dates never feed text
 *   (Brevo would store a formatted copy that segments cannot compare).
 * - `int` and `long` are numbers like double/currency/percent → float.
 */
const TARGETS_BY_TYPE: Readonly<Record<string, ReadonlySet<BrevoTargetKind>>> = {
  email: targets('email', 'text'),
  string: targets('email', 'text'),
  textarea: targets('text'),
  url: targets('text'),
  phone: targets('sms', 'text'),
  date: targets('date'),
  datetime: targets('date'),
  double: targets('float'),
  currency: targets('float'),
  percent: targets('float'),
  int: targets('float'),
  long: targets('float'),
  // Yes/No ↔ a Brevo boolean; a picklist's values ↔ a category's options, a multi-select picklist's ↔ a
  // multiple-choice attribute's options, paired by the user (value-pairs.ts).
  boolean: targets('boolean'),
  picklist: targets('category'),
  multipicklist: targets('multipleChoice'),
};

/**
 * R6: types that are never mappable, with their own reason. `combobox` is a
 * picklist that also accepts free text: its values cannot be paired.
 */
const UNSUPPORTED_TYPES: Readonly<Record<string, RuleCode>> = {
  combobox: RuleCode.FieldPicklist,
  id: RuleCode.FieldIdentifier,
  reference: RuleCode.FieldIdentifier,
};

/**
 * A formula maps like any field of its type: it is read-only, so it syncs Salesforce → Brevo only
 * (`allowedDirections`, with that reason).
 */
function computeFieldEligibility(field: SalesforceField): FieldEligibility {
  const unsupported = UNSUPPORTED_TYPES[field.type];
  if (unsupported) return { mappable: false, issue: createIssue(unsupported, field.name, { fieldType: field.type }) };
  const kinds = TARGETS_BY_TYPE[field.type];
  if (!kinds) {
    return { mappable: false, issue: createIssue(RuleCode.FieldTypeUnsupported, field.name, { fieldType: field.type }) };
  }
  return { mappable: true, targets: kinds };
}

// Describe results are fetched once and reused by every keystroke of the form:
// computing eligibility once per field object keeps validation O(fields).
const cache = new WeakMap<SalesforceField, FieldEligibility>();

/** R5/R6: eligibility of one Salesforce field (memoised per field object). */
export function describeFieldEligibility(field: SalesforceField): FieldEligibility {
  let eligibility = cache.get(field);
  if (!eligibility) {
    eligibility = computeFieldEligibility(field);
    cache.set(field, eligibility);
  }
  return eligibility;
}

/** Whether the field's type carries text that Salesforce limits to `length` characters (R9). */
export function isTextField(field: SalesforceField): boolean {
  return ['string', 'textarea', 'email', 'phone', 'url', 'encryptedstring', 'combobox'].includes(field.type);
}
