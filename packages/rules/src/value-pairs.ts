import { z } from 'zod';
import { RuleCode } from './codes.ts';
import type { BrevoAttribute, BrevoCategoryOption, SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * A picklist ↔ category pair's values: per Salesforce picklist value (its API value), the Brevo
 * category option it is written as. Brevo stores the option's numeric `value` (a label sent
 * instead is silently ignored by Brevo); the `label` is what Brevo shows and may send back.
 * A Salesforce value without an entry is not synced (`value_unpaired`): never guessed.
 */
export const categoryOptionSchema = z.strictObject({
  value: z.number().int({ error: RuleCode.InvalidInput }),
  label: z.string().max(200, { error: RuleCode.InvalidInput }),
});
export const valuePairsSchema = z.record(z.string().min(1).max(255), categoryOptionSchema);
export type ValuePairs = z.infer<typeof valuePairsSchema>;

const comparable = (text: string | null | undefined) => (text ?? '').trim().toLowerCase();

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
  const options = attribute.enumeration ?? [];
  const pairs: ValuePairs = {};
  for (const entry of activePicklistValues(field)) {
    const option = options.find((candidate) => comparable(candidate.label) === comparable(entry.label) || comparable(candidate.label) === comparable(entry.value));
    if (option) pairs[entry.value] = { value: option.value, label: option.label };
  }
  return pairs;
}

/**
 * What is wrong with the pairs of one picklist ↔ category row (`null`: nothing): a Salesforce
 * value the field does not have, a Brevo option the attribute does not have, or one option paired
 * with two Salesforce values (Brevo → Salesforce could not tell which to write). Anchored on the
 * attribute (the form's row).
 */
export function checkValuePairs(attribute: BrevoAttribute, field: SalesforceField, pairs: ValuePairs | undefined): RuleIssue | null {
  if (!pairs) return null;
  const salesforceValues = new Set((field.picklistValues ?? []).map((entry) => entry.value));
  const options = new Map((attribute.enumeration ?? []).map((option) => [option.value, option]));
  const salesforceValueOf = new Map<number, string>();
  for (const [salesforceValue, option] of Object.entries(pairs)) {
    if (!salesforceValues.has(salesforceValue)) {
      return createIssue(RuleCode.ValuePairUnknown, attribute.name, { value: salesforceValue, salesforceField: field.name });
    }
    if (!options.has(option.value)) return createIssue(RuleCode.ValuePairUnknown, attribute.name, { value: option.label, salesforceField: attribute.name });
    const other = salesforceValueOf.get(option.value);
    if (other !== undefined) return createIssue(RuleCode.ValuePairedTwice, attribute.name, { value: option.label, first: other, second: salesforceValue });
    salesforceValueOf.set(option.value, salesforceValue);
  }
  return null;
}

/** The option a Salesforce value is written as; null: unpaired. */
export function brevoOptionOf(pairs: ValuePairs | undefined, salesforceValue: string): BrevoCategoryOption | null {
  return pairs?.[salesforceValue] ?? null;
}

/**
 * A category value as Brevo sends it back (its numeric value, as a number or a string, or its
 * label) as the numeric value the sync writes and compares; anything not paired is left as it is.
 */
export function canonicalCategoryValue(pairs: ValuePairs | undefined, raw: string | number): string | number {
  for (const option of Object.values(pairs ?? {})) {
    if (option.value === Number(raw) || option.label === raw) return option.value;
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
