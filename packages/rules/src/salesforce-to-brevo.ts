import { RuleCode } from './codes.ts';
import { toBrevoDate } from './dates.ts';
import { isValidEmail, normalizeEmail } from './email.ts';
import { effectiveDirection, syncsToBrevo, type SyncDirection } from './field-directions.ts';
import { brevoChoicesOf, brevoOptionOf, parseBoolean, type ValuePairs } from './value-pairs.ts';
import { BREVO_EMAIL_ATTRIBUTE, BREVO_SMS_ATTRIBUTE, type SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { parseNumber } from './numbers.ts';
import { decidePhoneChange, toBrevoSmsNumber, type SmsFormatOptions } from './phone.ts';
import { isEmptied } from './values.ts';

export type SalesforceRecord = Readonly<Record<string, unknown>> & { readonly Id: string };

/** A value to write to a Brevo attribute; `null` clears it. A multiple-choice attribute takes its option labels (`canonicalChoices`). */
export type BrevoAttributeValue = string | number | boolean | readonly string[] | null;

/**
 * What one Salesforce record changes in Brevo. Absent properties are left
 * unchanged in Brevo. When `rejections` is not empty the record is not
 * transferred at all (R10) and the caller records each rejection.
 */
export interface BrevoContactChange {
  /** R14: the contact is found by the Salesforce Id, stored as Brevo's `ext_id`. */
  readonly extId: string;
  /** Brevo's top-level `email`; absent: keep the Brevo email (R14 when emptied). */
  readonly email?: string;
  /** The SMS attribute in international format; absent: keep Brevo's (R11 when emptied). */
  readonly sms?: string;
  /** Other mapped attributes (never EMAIL or SMS). */
  readonly attributes: Readonly<Record<string, BrevoAttributeValue>>;
  readonly rejections: readonly RuleIssue[];
  readonly warnings: readonly RuleIssue[];
}

export interface SalesforceToBrevoOptions extends SmsFormatOptions {
  /** Per Brevo attribute, the direction the user chose (absent: the default, see `effectiveDirection`). */
  readonly directions?: Readonly<Record<string, SyncDirection>>;
  /** Per picklist ↔ category (or multi-select ↔ multiple-choice) attribute, the option each Salesforce value is written as. */
  readonly valuePairs?: Readonly<Record<string, ValuePairs>>;
}

const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int', 'long']);

export function indexFieldsByName(fields: readonly SalesforceField[]): ReadonlyMap<string, SalesforceField> {
  return new Map(fields.map((field) => [field.name, field]));
}

/**
 * The per-record core of Salesforce → Brevo. Reads each mapped field of
 * `record` (a field not present in the record is left unchanged) and applies
 * R7 (dates; datetime → UTC date part), R10 (phones), R11 (emptied phone kept),
 * R14 (emptied email kept, the other fields still sync). A pair the user set to sync
 * Brevo → Salesforce only is not read. The value conversion
 * follows the Salesforce field's type; the mapping is assumed validated (R5).
 */
export function mapSalesforceRecordToBrevo(
  record: SalesforceRecord,
  mapping: Readonly<Record<string, string>>,
  fieldsByName: ReadonlyMap<string, SalesforceField>,
  options: SalesforceToBrevoOptions = {},
): BrevoContactChange {
  const attributes: Record<string, BrevoAttributeValue> = {};
  const rejections: RuleIssue[] = [];
  const warnings: RuleIssue[] = [];
  let email: string | undefined;
  let sms: string | undefined;

  for (const [attribute, fieldName] of Object.entries(mapping)) {
    const field = fieldsByName.get(fieldName);
    const value = record[fieldName];
    if (!field || value === undefined) continue;
    if (!syncsToBrevo(effectiveDirection(attribute, field, options.directions?.[attribute]))) continue;

    if (field.type === 'phone') {
      const decision = decidePhoneChange(value, field.name);
      if (decision.action === 'reject') rejections.push(decision.issue);
      else if (decision.action === 'keep_previous') warnings.push(decision.warning);
      else if (decision.action === 'write') {
        if (attribute !== BREVO_SMS_ATTRIBUTE) attributes[attribute] = decision.value;
        else {
          const formatted = toBrevoSmsNumber(decision.value, options, field.name);
          if (formatted.ok) sms = formatted.value;
          else rejections.push(formatted.issue);
        }
      }
      continue;
    }

    if (attribute === BREVO_EMAIL_ATTRIBUTE) {
      if (isEmptied(value)) {
        warnings.push(createIssue(RuleCode.EmailEmptiedKept, field.name));
        continue;
      }
      const candidate = normalizeEmail(String(value));
      if (isValidEmail(candidate)) email = candidate;
      else rejections.push(createIssue(RuleCode.EmailInvalid, field.name, { value: String(value) }));
      continue;
    }

    if (isEmptied(value)) {
      attributes[attribute] = null;
      continue;
    }
    if (field.type === 'date' || field.type === 'datetime') {
      const date = toBrevoDate(value);
      if (date === null) warnings.push(createIssue(RuleCode.DateInvalid, field.name, { value: String(value) }));
      else attributes[attribute] = date;
      continue;
    }
    if (NUMBER_TYPES.has(field.type)) {
      const number = parseNumber(value);
      if (number === null) warnings.push(createIssue(RuleCode.NumberInvalid, field.name, { value: String(value) }));
      else attributes[attribute] = number;
      continue;
    }
    if (field.type === 'boolean') {
      const yesNo = parseBoolean(value);
      if (yesNo === null) warnings.push(createIssue(RuleCode.BooleanInvalid, field.name, { value: String(value) }));
      else attributes[attribute] = yesNo;
      continue;
    }
    if (field.type === 'picklist') {
      // Never guessed: a value the user did not pair is not sent.
      const option = brevoOptionOf(options.valuePairs?.[attribute], String(value));
      if (option?.value === undefined) warnings.push(createIssue(RuleCode.ValueUnpaired, field.name, { value: String(value), attribute }));
      else attributes[attribute] = option.value;
      continue;
    }
    if (field.type === 'multipicklist') {
      // The paired values are written, each unpaired one is left out with its warning (value-pairs.ts).
      const choices = brevoChoicesOf(options.valuePairs?.[attribute], String(value));
      for (const unpaired of choices.unpaired) warnings.push(createIssue(RuleCode.ValueUnpaired, field.name, { value: unpaired, attribute }));
      if (choices.write) attributes[attribute] = choices.write;
      continue;
    }
    attributes[attribute] = String(value);
  }

  return {
    extId: record.Id,
    ...(email === undefined ? {} : { email }),
    ...(sms === undefined ? {} : { sms }),
    attributes,
    rejections,
    warnings,
  };
}
