import { z } from 'zod';
import { RuleCode } from './codes.ts';
import type { BrevoAttribute, BrevoOption, SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * The values of a picklist ↔ category or multi-select picklist ↔ multiple-choice pair: per
 * Salesforce picklist value (its API value), the Brevo option it is written as. A category option
 * is stored by its numeric `value` (a label sent instead is silently ignored by Brevo), its `label`
 * is what Brevo shows and may send back; a multiple-choice option is known by its label only.
 * A Salesforce value without an entry is not synced (`value_unpaired`): never guessed.
 */
export const brevoOptionSchema = z.strictObject({
  value: z.number().int({ error: RuleCode.InvalidInput }).optional(),
  label: z.string().max(200, { error: RuleCode.InvalidInput }),
});
export const valuePairsSchema = z.record(z.string().min(1).max(255), brevoOptionSchema);
export type ValuePairs = z.infer<typeof valuePairsSchema>;

const comparable = (text: string | null | undefined) => (text ?? '').trim().toLowerCase();

/** The options an attribute's values are paired with: a category's enumeration, or a multiple-choice attribute's options. */
export function brevoOptionsOf(attribute: BrevoAttribute): BrevoOption[] {
  if (attribute.type === 'multiple-choice') return (attribute.multiCategoryOptions ?? []).map((label) => ({ label }));
  return (attribute.enumeration ?? []).map((option) => ({ value: option.value, label: option.label }));
}

/** What tells an option from the others of its attribute: a category option's number, a multiple-choice option's label. */
export function brevoOptionKey(option: BrevoOption): string {
  return option.value === undefined ? option.label : String(option.value);
}

/** Whether the field's values are paired with the attribute's options: picklist ↔ category, multi-select picklist ↔ multiple-choice. */
export function pairsValues(field: SalesforceField, attribute: BrevoAttribute): boolean {
  if (field.type === 'picklist') return attribute.category === 'category';
  return field.type === 'multipicklist' && attribute.type === 'multiple-choice';
}

/** The picklist values a field offers now (inactive ones are kept by records but not offered). */
export function activePicklistValues(field: SalesforceField): { value: string; label: string }[] {
  return (field.picklistValues ?? []).filter((entry) => entry.active !== false).map((entry) => ({ value: entry.value, label: entry.label ?? entry.value }));
}

/**
 * The pairs the form proposes, for the user to confirm or change: each Salesforce value with the
 * Brevo option of the same label (or the same text as its API value), ignoring case and spaces
 * around. A value with no such option stays unpaired.
 */
export function suggestValuePairs(field: SalesforceField, attribute: BrevoAttribute): ValuePairs {
  const options = brevoOptionsOf(attribute);
  const pairs: ValuePairs = {};
  for (const entry of activePicklistValues(field)) {
    const option = options.find((candidate) => comparable(candidate.label) === comparable(entry.label) || comparable(candidate.label) === comparable(entry.value));
    if (option) pairs[entry.value] = option;
  }
  return pairs;
}

/**
 * What is wrong with the pairs of one picklist ↔ category or multi-select ↔ multiple-choice row (`null`: nothing): a Salesforce
 * value the field does not have, a Brevo option the attribute does not have, or one option paired
 * with two Salesforce values (Brevo → Salesforce could not tell which to write). Anchored on the
 * attribute (the form's row).
 */
export function checkValuePairs(attribute: BrevoAttribute, field: SalesforceField, pairs: ValuePairs | undefined): RuleIssue | null {
  if (!pairs) return null;
  const salesforceValues = new Set((field.picklistValues ?? []).map((entry) => entry.value));
  const options = new Set(brevoOptionsOf(attribute).map(brevoOptionKey));
  const salesforceValueOf = new Map<string, string>();
  for (const [salesforceValue, option] of Object.entries(pairs)) {
    if (!salesforceValues.has(salesforceValue)) {
      return createIssue(RuleCode.ValuePairUnknown, attribute.name, { value: salesforceValue, salesforceField: field.name });
    }
    const key = brevoOptionKey(option);
    // A category option is named by its number, a multiple-choice one by its label only: a pair of the other shape is not one of its options.
    const shapeFits = (option.value === undefined) === (attribute.type === 'multiple-choice');
    if (!shapeFits || !options.has(key)) return createIssue(RuleCode.ValuePairUnknown, attribute.name, { value: option.label, salesforceField: attribute.name });
    const other = salesforceValueOf.get(key);
    if (other !== undefined) return createIssue(RuleCode.ValuePairedTwice, attribute.name, { value: option.label, first: other, second: salesforceValue });
    salesforceValueOf.set(key, salesforceValue);
  }
  return null;
}

/** The option a Salesforce value is written as; null: unpaired. */
export function brevoOptionOf(pairs: ValuePairs | undefined, salesforceValue: string): BrevoOption | null {
  return pairs?.[salesforceValue] ?? null;
}

/**
 * A category value as Brevo sends it back (its numeric value, as a number or a string, or its
 * label) as the numeric value the sync writes and compares; anything not paired is left as it is.
 */
export function canonicalCategoryValue(pairs: ValuePairs | undefined, raw: string | number): string | number {
  for (const option of Object.values(pairs ?? {})) {
    if (option.value !== undefined && (option.value === Number(raw) || option.label === raw)) return option.value;
  }
  return raw;
}

/** The Salesforce value a Brevo category value is written as; null: no pair. */
export function salesforceValueOf(pairs: ValuePairs | undefined, raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const canonical = canonicalCategoryValue(pairs, raw);
  for (const [salesforceValue, option] of Object.entries(pairs ?? {})) if (option.value === canonical) return salesforceValue;
  return null;
}

/** Yes/No as either side may send it (`true`, `"true"`); null: not a Yes/No. */
export function parseBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return null;
}

/**
 * A multi-select picklist's values as Salesforce holds them (`'a;b;c'`): each value once, in the
 * order given, spaces around ignored. Salesforce values never contain `;` (labels may).
 */
export function splitMultiPicklist(value: string): string[] {
  return [...new Set(value.split(';').map((part) => part.trim()).filter((part) => part !== ''))];
}

/**
 * A multiple-choice value as the sync writes, stores and compares it: its option labels, each once,
 * sorted (Brevo keeps no order), so a value read back from Brevo hashes the same as the one written.
 * Brevo sends an array of labels; a lone label is read as one choice. null: not a multiple-choice value.
 */
export function canonicalChoices(raw: unknown): string[] | null {
  const labels = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((item) => typeof item === 'string') ? (raw as string[]) : null;
  return labels === null ? null : [...new Set(labels)].sort();
}

/** Whether two values the sync holds for one Brevo attribute are the same (absent = empty; choices in any order). */
export function sameBrevoValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(canonicalChoices(a ?? [])) === JSON.stringify(canonicalChoices(b ?? []));
  return (a ?? null) === (b ?? null);
}

export interface ChoicesConversion<T> {
  /** What to write; undefined: nothing (no value was paired). */
  readonly write?: T;
  /** The values with no pair, each a `value_unpaired` warning. */
  readonly unpaired: readonly string[];
}

/**
 * Salesforce → Brevo for a multi-select picklist: the option labels of its paired values. An unpaired
 * value is left out (and warned about) while the paired ones are written; when none is paired, nothing
 * is written, so Brevo keeps what it holds rather than losing every choice.
 */
export function brevoChoicesOf(pairs: ValuePairs | undefined, value: string): ChoicesConversion<string[]> {
  const labels: string[] = [];
  const unpaired: string[] = [];
  for (const salesforceValue of splitMultiPicklist(value)) {
    const option = brevoOptionOf(pairs, salesforceValue);
    if (option) labels.push(option.label);
    else unpaired.push(salesforceValue);
  }
  const write = canonicalChoices(labels)!;
  return write.length > 0 || unpaired.length === 0 ? { write, unpaired } : { unpaired };
}

/**
 * Brevo → Salesforce for a multiple-choice attribute: the `;`-joined Salesforce values its chosen
 * options are paired with, in the field's picklist order. A Salesforce value that has no pair cannot
 * be chosen in Brevo: it is kept from `current` (the record now) instead of being dropped. An option
 * with no pair is left out and warned about; when no option is paired and nothing is kept, nothing is written.
 */
export function salesforceChoicesOf(field: SalesforceField, pairs: ValuePairs | undefined, labels: readonly string[], current: unknown): ChoicesConversion<string | null> {
  const chosen = new Set<string>();
  const unpaired: string[] = [];
  for (const label of labels) {
    const salesforceValue = Object.entries(pairs ?? {}).find(([, option]) => option.label === label)?.[0];
    if (salesforceValue === undefined) unpaired.push(label);
    else chosen.add(salesforceValue);
  }
  const kept = typeof current === 'string' ? splitMultiPicklist(current).filter((value) => !pairs?.[value]) : [];
  for (const value of kept) chosen.add(value);
  if (chosen.size === 0) return labels.length === 0 ? { write: null, unpaired } : { unpaired };
  const order = (field.picklistValues ?? []).map((entry) => entry.value);
  const rank = (value: string) => (order.includes(value) ? order.indexOf(value) : order.length);
  return { write: [...chosen].sort((a, b) => rank(a) - rank(b)).join(';'), unpaired };
}
