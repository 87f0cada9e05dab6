import { RuleCode } from './codes.ts';
import { parseBrevoDate, toSalesforceDatetime } from './dates.ts';
import { isValidEmail } from './email.ts';
import { effectiveDirection, syncsToSalesforce, type SyncDirection } from './field-directions.ts';
import { canonicalChoices, parseBoolean, salesforceChoicesOf, salesforceValueOf, type ValuePairs } from './value-pairs.ts';
import type { SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { checkEmptiedRequiredField } from './last-name.ts';
import { parseNumber } from './numbers.ts';
import { checkTextLength } from './text-length.ts';
import { isEmptied } from './values.ts';

/** A value to write to a Salesforce field; `null` clears it. */
export type SalesforceFieldValue = string | number | boolean | null;

/**
 * What one Brevo contact change writes to its Salesforce record.
 * `warnings`: values not written, record otherwise fine (R7, R8).
 * `errors`: values not written and the record is in error (R9) — the
 * integration's status becomes `error` (see `statusAfterRun`).
 */
export interface SalesforceRecordChange {
  readonly fields: Readonly<Record<string, SalesforceFieldValue>>;
  readonly warnings: readonly RuleIssue[];
  readonly errors: readonly RuleIssue[];
}

const SALESFORCE_ID_PATTERN = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export type BrevoToSalesforceDecision =
  | { readonly sync: true; readonly salesforceId: string }
  | { readonly sync: false; readonly issue: RuleIssue };

/**
 * R12: only Brevo contacts linked to a Salesforce record (their `ext_id` is a
 * Salesforce Id we wrote) sync back; others are never created in Salesforce.
 */
export function decideBrevoToSalesforce(extId: string | null | undefined): BrevoToSalesforceDecision {
  if (typeof extId === 'string' && SALESFORCE_ID_PATTERN.test(extId)) return { sync: true, salesforceId: extId };
  return { sync: false, issue: createIssue(RuleCode.NotLinked, 'ext_id') };
}

const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int', 'long']);
const INTEGER_TYPES = new Set(['int', 'long']);

type FieldOutcome =
  | { readonly write: SalesforceFieldValue; readonly warnings?: readonly RuleIssue[] }
  | { readonly warning: RuleIssue }
  | { readonly warnings: readonly RuleIssue[] }
  | { readonly error: RuleIssue };

/** A multiple-choice value: the paired Salesforce values (with those Brevo cannot hold kept from the record now), a warning per unpaired option. */
function convertChoices(field: SalesforceField, value: unknown, attribute: string, pairs: ValuePairs | undefined, current: unknown): FieldOutcome {
  const labels = isEmptied(value) ? [] : canonicalChoices(value);
  if (labels === null) return { warning: createIssue(RuleCode.InvalidInput, field.name) };
  const choices = salesforceChoicesOf(field, pairs, labels, current);
  const warnings = choices.unpaired.map((label) => createIssue(RuleCode.ValueUnpaired, field.name, { value: label, attribute }));
  return choices.write === undefined ? { warnings } : { write: choices.write, warnings };
}

function convertValue(field: SalesforceField, value: unknown, attribute: string, pairs: ValuePairs | undefined, current: unknown): FieldOutcome {
  const required = checkEmptiedRequiredField(field, value);
  if (required) return { warning: required };
  if (field.type === 'multipicklist') return convertChoices(field, value, attribute, pairs, current);
  if (isEmptied(value)) return { write: null };
  if (field.type === 'boolean') {
    const yesNo = parseBoolean(value);
    return yesNo === null ? { warning: createIssue(RuleCode.BooleanInvalid, field.name, { value: String(value) }) } : { write: yesNo };
  }
  if (field.type === 'picklist') {
    // Only a paired option is written: a restricted picklist would refuse the whole record, and nothing is guessed.
    const salesforceValue = salesforceValueOf(pairs, value);
    return salesforceValue === null ? { warning: createIssue(RuleCode.ValueUnpaired, field.name, { value: String(value), attribute }) } : { write: salesforceValue };
  }
  if (field.type === 'date' || field.type === 'datetime') {
    const date = parseBrevoDate(value);
    if (date === null) return { warning: createIssue(RuleCode.DateInvalid, field.name, { value: String(value) }) };
    return { write: field.type === 'date' ? date : toSalesforceDatetime(date) };
  }
  if (NUMBER_TYPES.has(field.type)) {
    const number = parseNumber(value);
    if (number === null || (INTEGER_TYPES.has(field.type) && !Number.isInteger(number))) {
      return { warning: createIssue(RuleCode.NumberInvalid, field.name, { value: String(value) }) };
    }
    return { write: number };
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    return { warning: createIssue(RuleCode.InvalidInput, field.name) };
  }
  const text = String(value);
  // Salesforce refuses the whole record for a malformed email: skip the value instead.
  if (field.type === 'email' && !isValidEmail(text.trim())) {
    return { warning: createIssue(RuleCode.EmailInvalid, field.name, { value: text }) };
  }
  const tooLong = checkTextLength(field, text);
  return tooLong ? { error: tooLong } : { write: text };
}

/**
 * The per-record core of Brevo → Salesforce for a linked contact (R12 is
 * the caller's check, with `decideBrevoToSalesforce`). `values` are the
 * contact's Brevo values keyed by attribute name, EMAIL and SMS included; an
 * attribute absent from `values` is left unchanged. Applies R7 (only valid
 * `YYYY-MM-DD` dates are written; a datetime field gets midnight UTC), R8
 * (emptied LastName / required field not written) and R9 (too long: not
 * written, record error). Pairs that do not sync Brevo → Salesforce are
 * skipped without a warning: those the user set to Salesforce → Brevo only,
 * and fields Salesforce does not let us update (formulas, `updateable: false`).
 */
export function mapBrevoContactToSalesforce(
  values: Readonly<Record<string, unknown>>,
  mapping: Readonly<Record<string, string>>,
  fieldsByName: ReadonlyMap<string, SalesforceField>,
  settings: {
    readonly directions?: Readonly<Record<string, SyncDirection>>;
    readonly valuePairs?: Readonly<Record<string, ValuePairs>>;
    /** The Salesforce record now: a multi-select picklist keeps the values Brevo cannot hold (no pair). */
    readonly current?: Readonly<Record<string, unknown>>;
  } = {},
): SalesforceRecordChange {
  const directions = settings.directions ?? {};
  const fields: Record<string, SalesforceFieldValue> = {};
  const warnings: RuleIssue[] = [];
  const errors: RuleIssue[] = [];
  for (const [attribute, fieldName] of Object.entries(mapping)) {
    const field = fieldsByName.get(fieldName);
    const value = values[attribute];
    if (!field || value === undefined || !syncsToSalesforce(effectiveDirection(attribute, field, directions[attribute]))) continue;
    const outcome = convertValue(field, value, attribute, settings.valuePairs?.[attribute], settings.current?.[field.name]);
    if ('write' in outcome) fields[field.name] = outcome.write;
    if ('warnings' in outcome) warnings.push(...(outcome.warnings ?? []));
    if ('warning' in outcome) warnings.push(outcome.warning);
    if ('error' in outcome) errors.push(outcome.error);
  }
  return { fields, warnings, errors };
}
