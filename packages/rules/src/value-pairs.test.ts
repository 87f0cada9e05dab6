import { describe, expect, it } from 'vitest';
import { mapBrevoContactToSalesforce } from './brevo-to-salesforce.ts';
import type { BrevoAttribute, SalesforceField } from './field-types.ts';
import { validateMapping } from './mapping.ts';
import { mapSalesforceRecordToBrevo } from './salesforce-to-brevo.ts';
import { canonicalCategoryValue, checkValuePairs, salesforceValueOf, suggestValuePairs, type ValuePairs } from './value-pairs.ts';

const leadSource: SalesforceField = {
  name: 'LeadSource',
  label: 'Lead Source',
  type: 'picklist',
  updateable: true,
  nillable: true,
  picklistValues: [
    { value: 'Web', label: 'Web', active: true },
    { value: 'Phone Inquiry', label: 'Phone inquiry', active: true },
    { value: 'Partner Referral', label: 'Partner Referral', active: true },
    { value: 'Old', label: 'Old', active: false },
  ],
};
const optOut: SalesforceField = { name: 'Newsletter__c', label: 'Newsletter', type: 'boolean', updateable: true, nillable: false };
const email: SalesforceField = { name: 'Email', type: 'email', updateable: true, nillable: true };
const fields = [leadSource, optOut, email];
const fieldsByName = new Map(fields.map((field) => [field.name, field]));

const source: BrevoAttribute = {
  name: 'SOURCE',
  category: 'category',
  type: 'category',
  enumeration: [
    { value: 1, label: 'web' },
    { value: 2, label: ' PHONE INQUIRY ' },
    { value: 3, label: 'Event' },
  ],
};
const newsletter: BrevoAttribute = { name: 'NEWSLETTER', category: 'normal', type: 'boolean' };
const attributes = [source, newsletter];

const pairs: ValuePairs = { Web: { value: 1, label: 'web' }, 'Phone Inquiry': { value: 2, label: ' PHONE INQUIRY ' } };
const mapping = { EMAIL: 'Email', SOURCE: 'LeadSource', NEWSLETTER: 'Newsletter__c' };
const settings = { valuePairs: { SOURCE: pairs } };

describe('suggestValuePairs: by label, for the user to confirm', () => {
  it('pairs each active value with the option of the same label (case and spaces ignored); the rest stay unpaired', () => {
    expect(suggestValuePairs(leadSource, source)).toEqual(pairs);
  });

  it('pairs nothing when the attribute has no options', () => {
    expect(suggestValuePairs(leadSource, { name: 'EMPTY', category: 'category' })).toEqual({});
  });
});

describe('checkValuePairs and validateMapping', () => {
  it.each<[string, ValuePairs | undefined, string | null]>([
    ['no pairs (every value unpaired)', undefined, null],
    ['the suggested pairs', pairs, null],
    ['a changed pair', { Web: { value: 3, label: 'Event' } }, null],
    ['a Salesforce value the field does not have', { Nope: { value: 1, label: 'web' } }, 'value_pair_unknown'],
    ['a Brevo option the attribute does not have', { Web: { value: 9, label: 'Gone' } }, 'value_pair_unknown'],
    ['a multiple-choice option (a label only, even one reading as an option number)', { Web: { label: '1' } }, 'value_pair_unknown'],
    ['one option for two values', { Web: { value: 1, label: 'web' }, 'Partner Referral': { value: 1, label: 'web' } }, 'value_paired_twice'],
  ])('%s → %s', (_label, given, code) => {
    expect(checkValuePairs(source, leadSource, given)?.code ?? null).toBe(code);
    const issues = validateMapping(mapping, fields, attributes, given ? { valuePairs: { SOURCE: given } } : {});
    expect(issues.map((issue) => [issue.code, issue.field])).toEqual(code ? [[code, 'SOURCE']] : []);
  });
});

describe('type pairs, both ways', () => {
  const record = (values: Record<string, unknown>) => ({ Id: '00Q000000000001AAA', Email: 'a@example.com', ...values });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['checkbox true → boolean', { Newsletter__c: true }, { NEWSLETTER: true }, []],
    ['checkbox false → boolean', { Newsletter__c: false }, { NEWSLETTER: false }, []],
    ['picklist value → its paired option value', { LeadSource: 'Web' }, { SOURCE: 1 }, []],
    ['picklist value paired by label', { LeadSource: 'Phone Inquiry' }, { SOURCE: 2 }, []],
    ['unpaired picklist value → not sent, warning', { LeadSource: 'Partner Referral' }, {}, ['value_unpaired']],
    ['emptied picklist → cleared', { LeadSource: null }, { SOURCE: null }, []],
  ])('Salesforce → Brevo: %s', (_label, values, expected, warnings) => {
    const change = mapSalesforceRecordToBrevo(record(values), mapping, fieldsByName, settings);
    expect(change.attributes).toEqual(expected);
    expect(change.warnings.map((warning) => warning.code)).toEqual(warnings);
    if (warnings.length > 0) expect(change.warnings[0]!.params).toMatchObject({ field: 'LeadSource', value: 'Partner Referral', attribute: 'SOURCE' });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['boolean true → checkbox', { NEWSLETTER: true }, { Newsletter__c: true }, []],
    ['boolean as text → checkbox', { NEWSLETTER: 'false' }, { Newsletter__c: false }, []],
    ['emptied boolean → checkbox kept (Salesforce requires it)', { NEWSLETTER: null }, {}, ['required_field_emptied']],
    ['not a Yes/No → warning', { NEWSLETTER: 'maybe' }, {}, ['boolean_invalid']],
    ['option value → paired picklist value', { SOURCE: 2 }, { LeadSource: 'Phone Inquiry' }, []],
    ['option value as text → paired picklist value', { SOURCE: '1' }, { LeadSource: 'Web' }, []],
    ['option label (as Brevo sends it back) → paired picklist value', { SOURCE: ' PHONE INQUIRY ' }, { LeadSource: 'Phone Inquiry' }, []],
    ['unpaired option → not written, warning', { SOURCE: 3 }, {}, ['value_unpaired']],
    ['emptied category → picklist cleared', { SOURCE: null }, { LeadSource: null }, []],
  ])('Brevo → Salesforce: %s', (_label, values, expected, warnings) => {
    const change = mapBrevoContactToSalesforce(values, mapping, fieldsByName, settings);
    expect(change.fields).toEqual(expected);
    expect(change.warnings.map((warning) => warning.code)).toEqual(warnings);
  });

  it('without pairs, no picklist value is ever guessed, either way', () => {
    expect(mapSalesforceRecordToBrevo(record({ LeadSource: 'Web' }), mapping, fieldsByName).attributes).toEqual({});
    expect(mapBrevoContactToSalesforce({ SOURCE: 'web' }, mapping, fieldsByName).fields).toEqual({});
  });

  it('reads a category value back as the number the sync wrote, so an echo hashes the same', () => {
    expect(canonicalCategoryValue(pairs, ' PHONE INQUIRY ')).toBe(2);
    expect(canonicalCategoryValue(pairs, '1')).toBe(1);
    expect(canonicalCategoryValue(pairs, 'Event')).toBe('Event');
    expect(salesforceValueOf(pairs, 'Event')).toBeNull();
    expect(salesforceValueOf(pairs, true)).toBeNull();
  });
});
