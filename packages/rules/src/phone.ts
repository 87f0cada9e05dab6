import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { isAbsent, isEmptied } from './values.ts';

export const PHONE_MIN_DIGITS = 6;
export const PHONE_MAX_DIGITS = 16;

// R10: digits, whitespace, dashes, dots and brackets, with at most one `+`, first.
const PHONE_PATTERN = /^\+?[\d\s\-.()]*$/;

/** R10: the number of ASCII digits in `value`. */
export function countPhoneDigits(value: string): number {
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits;
}

/**
 * R10: `null` when `value` is an acceptable phone: 6–16 digits, ignoring
 * spaces, dashes, dots, brackets and one leading `+` (leading/trailing
 * whitespace is ignored too). Any other character makes it invalid.
 */
export function checkPhone(value: string, field?: string): RuleIssue | null {
  const trimmed = value.trim();
  if (!PHONE_PATTERN.test(trimmed)) return createIssue(RuleCode.PhoneInvalidCharacters, field);
  const digits = countPhoneDigits(trimmed);
  if (digits < PHONE_MIN_DIGITS || digits > PHONE_MAX_DIGITS) {
    return createIssue(RuleCode.PhoneDigitsOutOfRange, field, { min: PHONE_MIN_DIGITS, max: PHONE_MAX_DIGITS, digits });
  }
  return null;
}

export type PhoneChangeDecision =
  | { readonly action: 'unchanged' }
  /** R11: emptied in Salesforce: Brevo keeps its previous value. */
  | { readonly action: 'keep_previous'; readonly warning: RuleIssue }
  /** R10: the record is not transferred. */
  | { readonly action: 'reject'; readonly issue: RuleIssue }
  | { readonly action: 'write'; readonly value: string };

/** R10/R11: what to do with a Salesforce phone value on its way to Brevo. */
export function decidePhoneChange(value: unknown, field?: string): PhoneChangeDecision {
  if (isAbsent(value)) return { action: 'unchanged' };
  if (isEmptied(value)) return { action: 'keep_previous', warning: createIssue(RuleCode.PhoneEmptiedKept, field) };
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return { action: 'reject', issue: createIssue(RuleCode.PhoneInvalidCharacters, field) };
  const issue = checkPhone(text, field);
  return issue ? { action: 'reject', issue } : { action: 'write', value: text.trim() };
}

export interface SmsFormatOptions {
  /** Country assumed for numbers written without a country code (e.g. `FR`). */
  readonly defaultCountry?: CountryCode;
}

export type SmsNumberResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly issue: RuleIssue };

/**
 * Brevo's SMS attribute wants an international number (`+33612345678`).
 * Adds the default country's code when missing; a number that cannot be made
 * a valid international number is rejected (`phone_not_international`).
 * Call after `checkPhone`: R10 decides acceptability, this only formats.
 */
export function toBrevoSmsNumber(value: string, options: SmsFormatOptions = {}, field?: string): SmsNumberResult {
  const phone = parsePhoneNumberFromString(value.trim(), options.defaultCountry ? { defaultCountry: options.defaultCountry } : {});
  if (!phone || !phone.isValid()) return { ok: false, issue: createIssue(RuleCode.PhoneNotInternational, field) };
  return { ok: true, value: phone.number };
}

export type { CountryCode };
