import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { describe, expect, it } from 'vitest';
import type { SalesforceField } from './field-types.ts';
import {
  compileRecordFilter,
  filterFields,
  filterKeyOf,
  OPERATORS_OF_KIND,
  recordFilterSchema,
  recordMatchesFilter,
  validateRecordFilter,
  type FilterCondition,
  type RecordFilter,
} from './record-filter.ts';

const FIELDS: SalesforceField[] = [
  { name: 'Title', label: 'Title', type: 'string', filterable: true },
  { name: 'LeadSource', label: 'Lead Source', type: 'picklist', filterable: true, picklistValues: [{ value: 'Web' }, { value: 'Partner' }, { value: 'Old', active: false }] },
  { name: 'Score__c', label: 'Score', type: 'double', filterable: true },
  { name: 'Birthdate', label: 'Birthdate', type: 'date', filterable: true },
  { name: 'Last_Contacted__c', label: 'Last Contacted', type: 'datetime', filterable: true },
  { name: 'Newsletter__c', label: 'Newsletter', type: 'boolean', filterable: true },
  { name: 'Notes__c', label: 'Notes', type: 'textarea', filterable: false },
  { name: 'Interests__c', label: 'Interests', type: 'multipicklist', filterable: true },
  { name: 'OwnerId', label: 'Owner ID', type: 'reference', filterable: true },
];
const BY_NAME = new Map(FIELDS.map((field) => [field.name, field]));
const one = (...conditions: FilterCondition[]): RecordFilter => ({ groups: [{ conditions }] });

/**
 * Every operator × field kind, with nulls: [field, condition, record value, matches, SOQL condition].
 * The SOQL column is the library's composition; the sync agreement test runs the same conditions
 * through the Salesforce sandbox's query engine.
 */
const TABLE: [string, Omit<FilterCondition, 'field'>, unknown, boolean, string][] = [
  // text: case-insensitive, empty is null, != keeps nulls (as SOQL does)
  ['Title', { operator: 'equals', value: 'CEO' }, 'ceo', true, "Title = 'CEO'"],
  ['Title', { operator: 'equals', value: 'CEO' }, 'CTO', false, "Title = 'CEO'"],
  ['Title', { operator: 'equals', value: 'CEO' }, null, false, "Title = 'CEO'"],
  ['Title', { operator: 'notEquals', value: 'CEO' }, 'CTO', true, "Title != 'CEO'"],
  ['Title', { operator: 'notEquals', value: 'CEO' }, 'Ceo', false, "Title != 'CEO'"],
  ['Title', { operator: 'notEquals', value: 'CEO' }, null, true, "Title != 'CEO'"],
  ['Title', { operator: 'in', values: ['CEO', 'CTO'] }, 'cto', true, "Title IN ('CEO', 'CTO')"],
  ['Title', { operator: 'in', values: ['CEO', 'CTO'] }, 'CFO', false, "Title IN ('CEO', 'CTO')"],
  ['Title', { operator: 'in', values: ['CEO', 'CTO'] }, null, false, "Title IN ('CEO', 'CTO')"],
  ['Title', { operator: 'contains', value: 'Sales' }, 'Head of sales', true, "Title LIKE '%Sales%'"],
  ['Title', { operator: 'contains', value: 'Sales' }, 'Marketing', false, "Title LIKE '%Sales%'"],
  ['Title', { operator: 'contains', value: 'Sales' }, null, false, "Title LIKE '%Sales%'"],
  ['Title', { operator: 'contains', value: "50%_o'k\\" }, "up 50%_o'k\\ now", true, "Title LIKE '%50\\%\\_o\\'k\\\\%'"],
  ['Title', { operator: 'contains', value: '50%' }, '500', false, "Title LIKE '%50\\%%'"],
  ['Title', { operator: 'isEmpty' }, null, true, 'Title = NULL'],
  ['Title', { operator: 'isEmpty' }, '', true, 'Title = NULL'],
  ['Title', { operator: 'isEmpty' }, 'CEO', false, 'Title = NULL'],
  ['Title', { operator: 'isNotEmpty' }, 'CEO', true, 'Title != NULL'],
  ['Title', { operator: 'isNotEmpty' }, null, false, 'Title != NULL'],
  // picklist
  ['LeadSource', { operator: 'equals', value: 'Web' }, 'Web', true, "LeadSource = 'Web'"],
  ['LeadSource', { operator: 'equals', value: 'Web' }, null, false, "LeadSource = 'Web'"],
  ['LeadSource', { operator: 'notEquals', value: 'Web' }, null, true, "LeadSource != 'Web'"],
  ['LeadSource', { operator: 'in', values: ['Web', 'Old'] }, 'Old', true, "LeadSource IN ('Web', 'Old')"],
  ['LeadSource', { operator: 'isEmpty' }, null, true, 'LeadSource = NULL'],
  ['LeadSource', { operator: 'isNotEmpty' }, 'Partner', true, 'LeadSource != NULL'],
  // number
  ['Score__c', { operator: 'equals', value: '5' }, 5, true, 'Score__c = 5'],
  ['Score__c', { operator: 'equals', value: '5.5' }, 5, false, 'Score__c = 5.5'],
  ['Score__c', { operator: 'notEquals', value: '5' }, null, true, 'Score__c != 5'],
  ['Score__c', { operator: 'greaterThan', value: '-1.5' }, 0, true, 'Score__c > -1.5'],
  ['Score__c', { operator: 'greaterThan', value: '10' }, 10, false, 'Score__c > 10'],
  ['Score__c', { operator: 'greaterThan', value: '10' }, null, false, 'Score__c > 10'],
  ['Score__c', { operator: 'lessThan', value: '10' }, 9.99, true, 'Score__c < 10'],
  ['Score__c', { operator: 'lessThan', value: '10' }, null, false, 'Score__c < 10'],
  ['Score__c', { operator: 'isEmpty' }, null, true, 'Score__c = NULL'],
  ['Score__c', { operator: 'isNotEmpty' }, 0, true, 'Score__c != NULL'],
  // date
  ['Birthdate', { operator: 'equals', value: '1990-05-31' }, '1990-05-31', true, 'Birthdate = 1990-05-31'],
  ['Birthdate', { operator: 'notEquals', value: '1990-05-31' }, null, true, 'Birthdate != 1990-05-31'],
  ['Birthdate', { operator: 'greaterThan', value: '1990-05-31' }, '1990-06-01', true, 'Birthdate > 1990-05-31'],
  ['Birthdate', { operator: 'greaterThan', value: '1990-05-31' }, '1990-05-31', false, 'Birthdate > 1990-05-31'],
  ['Birthdate', { operator: 'lessThan', value: '1990-05-31' }, '1989-12-31', true, 'Birthdate < 1990-05-31'],
  ['Birthdate', { operator: 'lessThan', value: '1990-05-31' }, null, false, 'Birthdate < 1990-05-31'],
  ['Birthdate', { operator: 'isEmpty' }, null, true, 'Birthdate = NULL'],
  ['Birthdate', { operator: 'isNotEmpty' }, '2001-01-01', true, 'Birthdate != NULL'],
  // datetime: Salesforce's +0000 form against a UTC instant
  ['Last_Contacted__c', { operator: 'greaterThan', value: '2026-01-01T00:00:00Z' }, '2026-01-01T00:00:01.000+0000', true, 'Last_Contacted__c > 2026-01-01T00:00:00Z'],
  ['Last_Contacted__c', { operator: 'greaterThan', value: '2026-01-01T00:00:00Z' }, '2026-01-01T01:00:00.000+0200', false, 'Last_Contacted__c > 2026-01-01T00:00:00Z'],
  ['Last_Contacted__c', { operator: 'lessThan', value: '2026-01-01T00:00:00Z' }, '2025-12-31T23:59:59.000+0000', true, 'Last_Contacted__c < 2026-01-01T00:00:00Z'],
  ['Last_Contacted__c', { operator: 'lessThan', value: '2026-01-01T00:00:00Z' }, null, false, 'Last_Contacted__c < 2026-01-01T00:00:00Z'],
  ['Last_Contacted__c', { operator: 'isNotEmpty' }, null, false, 'Last_Contacted__c != NULL'],
  ['Last_Contacted__c', { operator: 'isEmpty' }, null, true, 'Last_Contacted__c = NULL'],
  // boolean
  ['Newsletter__c', { operator: 'equals', value: 'true' }, true, true, 'Newsletter__c = TRUE'],
  ['Newsletter__c', { operator: 'equals', value: 'true' }, false, false, 'Newsletter__c = TRUE'],
  ['Newsletter__c', { operator: 'equals', value: 'false' }, false, true, 'Newsletter__c = FALSE'],
];

describe('record filter: every operator × field kind', () => {
  it.each(TABLE)('%s %j on %j: matches %s, SOQL %s', (field, condition, recordValue, matches, soql) => {
    const filter = one({ field, ...condition });
    expect(validateRecordFilter(filter, FIELDS)).toEqual([]);
    expect(recordMatchesFilter({ [field]: recordValue }, filter, BY_NAME)).toBe(matches);
    expect(compileRecordFilter(filter, BY_NAME)).toBe(`(${soql})`);
  });

  it('covers every operator each kind takes', () => {
    for (const [kind, operators] of Object.entries(OPERATORS_OF_KIND)) {
      const field = { text: 'Title', picklist: 'LeadSource', number: 'Score__c', date: 'Birthdate', datetime: 'Last_Contacted__c', boolean: 'Newsletter__c' }[kind]!;
      for (const operator of operators) expect(TABLE.some(([name, condition]) => name === field && condition.operator === operator), `${kind} ${operator}`).toBe(true);
    }
  });
});

describe('record filter: AND inside a group, OR between groups', () => {
  const filter: RecordFilter = {
    groups: [
      { conditions: [{ field: 'LeadSource', operator: 'equals', value: 'Web' }, { field: 'Score__c', operator: 'greaterThan', value: '50' }] },
      { conditions: [{ field: 'Newsletter__c', operator: 'equals', value: 'true' }] },
    ],
  };
  it.each([
    [{ LeadSource: 'Web', Score__c: 60, Newsletter__c: false }, true],
    [{ LeadSource: 'Web', Score__c: 40, Newsletter__c: false }, false],
    [{ LeadSource: 'Partner', Score__c: 90, Newsletter__c: true }, true],
    [{ LeadSource: null, Score__c: null, Newsletter__c: false }, false],
  ])('%j → %s', (record, matches) => {
    expect(recordMatchesFilter(record, filter, BY_NAME)).toBe(matches);
  });
  it('compiles to one condition the SOQL parser reads back with the same shape', () => {
    const soql = compileRecordFilter(filter, BY_NAME);
    expect(soql).toBe("(LeadSource = 'Web' AND Score__c > 50) OR (Newsletter__c = TRUE)");
    const where = parseQuery(`SELECT Id FROM Contact WHERE ${soql}`).where!;
    expect(where).toMatchObject({ left: { field: 'LeadSource' }, operator: 'AND', right: { left: { field: 'Score__c' }, operator: 'OR', right: { left: { field: 'Newsletter__c' } } } });
  });
  it('no filter: every record matches', () => {
    expect(recordMatchesFilter({}, undefined, BY_NAME)).toBe(true);
  });
  it('names the fields it reads, and a key that changes with any condition', () => {
    expect(filterFields(filter)).toEqual(['LeadSource', 'Score__c', 'Newsletter__c']);
    expect(filterKeyOf(filter)).toBe(filterKeyOf(structuredClone(filter)));
    expect(filterKeyOf(filter)).not.toBe(filterKeyOf(one({ field: 'LeadSource', operator: 'equals', value: 'Web' })));
    expect(filterKeyOf(undefined)).toBeNull();
  });
});

describe('record filter: validation against the describe', () => {
  it.each<[string, FilterCondition, string, Record<string, unknown>]>([
    ['an unknown field', { field: 'Nope__c', operator: 'equals', value: 'x' }, 'filter_unknown_field', { salesforceField: 'Nope__c' }],
    ['a field Salesforce cannot filter', { field: 'Notes__c', operator: 'contains', value: 'x' }, 'filter_field_not_filterable', { salesforceField: 'Notes' }],
    ['a type the filter does not take (multi-select)', { field: 'Interests__c', operator: 'equals', value: 'x' }, 'filter_field_not_filterable', {}],
    ['a lookup', { field: 'OwnerId', operator: 'equals', value: '005000000000001AAA' }, 'filter_field_not_filterable', {}],
    ['contains on a number', { field: 'Score__c', operator: 'contains', value: '5' }, 'filter_operator_unsupported', { fieldType: 'double' }],
    ['greater than on text', { field: 'Title', operator: 'greaterThan', value: 'a' }, 'filter_operator_unsupported', {}],
    ['empty on a checkbox', { field: 'Newsletter__c', operator: 'isEmpty' }, 'filter_operator_unsupported', {}],
    ['no value', { field: 'Title', operator: 'equals' }, 'filter_value_required', {}],
    ['a blank value', { field: 'Title', operator: 'equals', value: '  ' }, 'filter_value_required', {}],
    ['an empty in list', { field: 'Title', operator: 'in', values: [] }, 'filter_value_required', {}],
    ['a number that is not one', { field: 'Score__c', operator: 'greaterThan', value: '1e5' }, 'filter_value_invalid', { value: '1e5' }],
    ['a date that does not exist', { field: 'Birthdate', operator: 'lessThan', value: '2025-02-30' }, 'filter_value_invalid', { value: '2025-02-30' }],
    ['a datetime without a zone', { field: 'Last_Contacted__c', operator: 'lessThan', value: '2025-02-03T10:00:00' }, 'filter_value_invalid', {}],
    ['a picklist value the field does not have', { field: 'LeadSource', operator: 'in', values: ['Web', 'Fax'] }, 'filter_value_invalid', { value: 'Fax' }],
    ['a checkbox value that is not true or false', { field: 'Newsletter__c', operator: 'equals', value: 'yes' }, 'filter_value_invalid', {}],
  ])('refuses %s', (_what, condition, code, params) => {
    const filter: RecordFilter = { groups: [{ conditions: [{ field: 'Title', operator: 'isNotEmpty' }] }, { conditions: [{ field: 'Title', operator: 'isNotEmpty' }, condition] }] };
    const issues = validateRecordFilter(filter, FIELDS);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, field: 'filter.1.1', params });
    expect(() => compileRecordFilter(filter, BY_NAME)).toThrow();
  });
});

describe('record filter: bounds (the schema, before any rule)', () => {
  const condition: FilterCondition = { field: 'Title', operator: 'equals', value: 'x' };
  it.each<[string, unknown]>([
    ['no group', { groups: [] }],
    ['an empty group', { groups: [{ conditions: [] }] }],
    ['11 groups', { groups: Array.from({ length: 11 }, () => ({ conditions: [condition] })) }],
    ['21 conditions over groups', { groups: [{ conditions: Array(11).fill(condition) }, { conditions: Array(10).fill(condition) }] }],
    ['a value of 256 characters', one({ ...condition, value: 'x'.repeat(256) })],
    ['a value with a control character', one({ ...condition, value: 'a\nb' })],
    ['101 values in a list', one({ field: 'Title', operator: 'in', values: Array(101).fill('x') })],
    ['an unknown operator', one({ ...condition, operator: 'like' as never })],
    ['a field name that is not an API name', one({ ...condition, field: 'Title) OR (Id' })],
    ['an unknown property', { groups: [{ conditions: [{ ...condition, soql: 'Id != null' }] }] }],
  ])('refuses %s', (_what, input) => {
    expect(recordFilterSchema.safeParse(input).success).toBe(false);
  });
  it('accepts the largest filter', () => {
    const filter = { groups: [{ conditions: Array(10).fill({ field: 'Title', operator: 'in', values: Array(100).fill('x'.repeat(255)) }) }, { conditions: Array(10).fill(condition) }] };
    expect(recordFilterSchema.safeParse(filter).success).toBe(true);
  });
});
