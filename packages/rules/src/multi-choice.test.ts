import { describe, expect, it } from 'vitest';
import { mapBrevoContactToSalesforce } from './brevo-to-salesforce.ts';
import type { BrevoAttribute, SalesforceField } from './field-types.ts';
import { validateMapping } from './mapping.ts';
import { mapSalesforceRecordToBrevo } from './salesforce-to-brevo.ts';
import { canonicalChoices, checkValuePairs, splitMultiPicklist, suggestValuePairs, type ValuePairs } from './value-pairs.ts';

/**
 * Multi-select picklist ↔ multiple-choice: the same pairing as picklist ↔ category (by label, confirmed
 * by the user, never guessed), a value being several of the field's values at once. Decision: the paired
 * values are written and each unpaired one is left out with a `value_unpaired` warning (rather than
 * skipping the whole field), and Brevo → Salesforce keeps the Salesforce values Brevo cannot hold.
 */
const interests: SalesforceField = {
  name: 'Interests__c',
  label: 'Interests',
  type: 'multipicklist',
  updateable: true,
  nillable: true,
  picklistValues: [
    { value: 'Golf', label: 'Golf', active: true },
    { value: 'Chess', label: 'Chess', active: true },
    { value: 'Rock;Roll', label: 'Rock;Roll', active: true },
    { value: 'Sailing', label: 'Sailing', active: true },
    { value: 'Old', label: 'Old', active: false },
  ],
};
const email: SalesforceField = { name: 'Email', type: 'email', updateable: true, nillable: true };
const fieldsByName = new Map([interests, email].map((field) => [field.name, field]));

const hobbies: BrevoAttribute = { name: 'HOBBIES', category: 'normal', type: 'multiple-choice', multiCategoryOptions: ['chess', ' GOLF ', 'Rock;Roll', 'Cooking, baking'] };
const pairs: ValuePairs = { Golf: { label: ' GOLF ' }, Chess: { label: 'chess' }, 'Rock;Roll': { label: 'Rock;Roll' } };
const mapping = { EMAIL: 'Email', HOBBIES: 'Interests__c' };
const settings = { valuePairs: { HOBBIES: pairs } };

describe('multi-select picklist ↔ multiple-choice: pairs', () => {
  it('suggests each active value with the option of the same label (case and spaces ignored), by label only', () => {
    expect(suggestValuePairs(interests, hobbies)).toEqual(pairs);
  });

  it.each<[string, ValuePairs | undefined, string | null]>([
    ['no pairs', undefined, null],
    ['the suggested pairs', pairs, null],
    ['a changed pair', { Sailing: { label: 'Cooking, baking' } }, null],
    ['an option the attribute does not have', { Golf: { label: 'Tennis' } }, 'value_pair_unknown'],
    ['a category option (by number) for a multiple-choice attribute', { Golf: { value: 1, label: ' GOLF ' } }, 'value_pair_unknown'],
    ['a Salesforce value the field does not have', { Tennis: { label: 'chess' } }, 'value_pair_unknown'],
    ['one option for two values', { Golf: { label: 'chess' }, Chess: { label: 'chess' } }, 'value_paired_twice'],
  ])('%s → %s', (_label, given, code) => {
    expect(checkValuePairs(hobbies, interests, given)?.code ?? null).toBe(code);
    const issues = validateMapping(mapping, [interests, email], [hobbies], given ? { valuePairs: { HOBBIES: given } } : {});
    expect(issues.map((issue) => [issue.code, issue.field])).toEqual(code ? [[code, 'HOBBIES']] : []);
  });

  it('reads Salesforce values split on ";" (each once) and Brevo choices as sorted labels (each once)', () => {
    expect(splitMultiPicklist('Golf; Chess;;Golf ')).toEqual(['Golf', 'Chess']);
    expect(canonicalChoices(['Golf', 'Chess', 'Golf'])).toEqual(['Chess', 'Golf']);
    expect(canonicalChoices('Golf')).toEqual(['Golf']);
    expect(canonicalChoices([1, 'Golf'])).toBeNull();
    expect(canonicalChoices(7)).toBeNull();
  });
});

describe('multi-select picklist ↔ multiple-choice, both ways', () => {
  const record = (values: Record<string, unknown>) => ({ Id: '00Q000000000001AAA', Email: 'a@example.com', ...values });

  it.each<[string, unknown, Record<string, unknown>, string[]]>([
    ['empty → cleared', null, { HOBBIES: null }, []],
    ['blank → cleared', '', { HOBBIES: null }, []],
    ['one value', 'Golf', { HOBBIES: [' GOLF '] }, []],
    ['several values, as option labels sorted', 'Golf;Chess', { HOBBIES: [' GOLF ', 'chess'] }, []],
    ['order does not matter', 'Chess;Golf', { HOBBIES: [' GOLF ', 'chess'] }, []],
    ['duplicates once', 'Golf;Golf;Chess', { HOBBIES: [' GOLF ', 'chess'] }, []],
    ['an unpaired value among paired ones: the paired ones, a warning', 'Golf;Sailing;Chess', { HOBBIES: [' GOLF ', 'chess'] }, ['value_unpaired']],
    ['only unpaired values: not sent (Brevo keeps its choices), a warning each', 'Sailing;Old', {}, ['value_unpaired', 'value_unpaired']],
  ])('Salesforce → Brevo: %s', (_label, value, expected, warnings) => {
    const change = mapSalesforceRecordToBrevo(record({ Interests__c: value }), mapping, fieldsByName, settings);
    expect(change.attributes).toEqual(expected);
    expect(change.warnings.map((warning) => warning.code)).toEqual(warnings);
    if (warnings.length > 0) expect(change.warnings[0]!.params).toMatchObject({ field: 'Interests__c', value: 'Sailing', attribute: 'HOBBIES' });
  });

  it('a label holding ";" is one choice (Brevo takes an array, not a joined text)', () => {
    // Salesforce refuses ";" in a multi-select value: here it only ever is in a label, the pairs are per value.
    const change = mapSalesforceRecordToBrevo(record({ Interests__c: 'Golf' }), mapping, fieldsByName, { valuePairs: { HOBBIES: { Golf: { label: 'Rock;Roll' } } } });
    expect(change.attributes).toEqual({ HOBBIES: ['Rock;Roll'] });
  });

  it.each<[string, unknown, unknown, Record<string, unknown>, string[]]>([
    ['emptied (null) → cleared', null, 'Golf', { Interests__c: null }, []],
    ['emptied ([]) → cleared', [], 'Golf;Chess', { Interests__c: null }, []],
    ['one option', [' GOLF '], null, { Interests__c: 'Golf' }, []],
    ['several options → in the field’s picklist order', ['chess', ' GOLF '], null, { Interests__c: 'Golf;Chess' }, []],
    ['duplicates once', ['chess', 'chess'], null, { Interests__c: 'Chess' }, []],
    ['a label holding ";"', ['Rock;Roll', 'chess'], null, { Interests__c: 'Chess;Rock;Roll' }, []],
    ['an unpaired option among paired ones: the paired ones, a warning', ['chess', 'Cooking, baking'], null, { Interests__c: 'Chess' }, ['value_unpaired']],
    ['only unpaired options: not written, a warning', ['Cooking, baking'], 'Golf', {}, ['value_unpaired']],
    ['Salesforce values with no pair are kept', ['chess'], 'Golf;Sailing', { Interests__c: 'Chess;Sailing' }, []],
    ['emptied in Brevo: the values with no pair are kept', [], 'Golf;Sailing', { Interests__c: 'Sailing' }, []],
    ['not a list of labels → warning', [1, 2], null, {}, ['invalid_input']],
  ])('Brevo → Salesforce: %s', (_label, value, current, expected, warnings) => {
    const change = mapBrevoContactToSalesforce({ HOBBIES: value }, mapping, fieldsByName, { ...settings, current: { Interests__c: current } });
    expect(change.fields).toEqual(expected);
    expect(change.warnings.map((warning) => warning.code)).toEqual(warnings);
    if (warnings[0] === 'value_unpaired') expect(change.warnings[0]!.params).toMatchObject({ field: 'Interests__c', value: 'Cooking, baking', attribute: 'HOBBIES' });
  });

  it('honours the direction: Salesforce → Brevo only is never written back, Brevo → Salesforce only is never sent', () => {
    const toBrevoOnly = { ...settings, directions: { HOBBIES: 'salesforce_to_brevo' as const } };
    const toSalesforceOnly = { ...settings, directions: { HOBBIES: 'brevo_to_salesforce' as const } };
    expect(mapBrevoContactToSalesforce({ HOBBIES: ['chess'] }, mapping, fieldsByName, toBrevoOnly).fields).toEqual({});
    expect(mapBrevoContactToSalesforce({ HOBBIES: ['chess'] }, mapping, fieldsByName, toSalesforceOnly).fields).toEqual({ Interests__c: 'Chess' });
    expect(mapSalesforceRecordToBrevo(record({ Interests__c: 'Chess' }), mapping, fieldsByName, toSalesforceOnly).attributes).toEqual({});
    expect(mapSalesforceRecordToBrevo(record({ Interests__c: 'Chess' }), mapping, fieldsByName, toBrevoOnly).attributes).toEqual({ HOBBIES: ['chess'] });
  });

  it('without pairs, no value is ever guessed, either way', () => {
    expect(mapSalesforceRecordToBrevo(record({ Interests__c: 'Golf' }), mapping, fieldsByName).attributes).toEqual({});
    expect(mapBrevoContactToSalesforce({ HOBBIES: ['Golf'] }, mapping, fieldsByName).fields).toEqual({});
  });
});
