import { composeQuery, type Query, type ValueCondition, type WhereClause } from '@jetstreamapp/soql-parser-js';
import { z } from 'zod';
import { RuleCode } from './codes.ts';
import { parseBrevoDate, parseSalesforceDatetime } from './dates.ts';
import type { SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * Sync only the records that match (issue 16 §4). A filter is an OR of groups, each an AND of
 * conditions on the object's filterable fields: `(a AND b) OR (c)`. Explicit, and what the form
 * edits: a list of groups, each a list of rows. Absent: every record (the seed's behaviour).
 *
 * Values travel as text, as the form holds them (`"42"`, `"2024-05-31"`, `"true"`, a picklist's API
 * value), and are checked against the field's type by `validateRecordFilter`.
 */
export const FILTER_OPERATORS = ['equals', 'notEquals', 'in', 'contains', 'isEmpty', 'isNotEmpty', 'greaterThan', 'lessThan'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Bounds: a filter is compiled into every query and evaluated for every record, so its size is the server's cost. */
export const FILTER_LIMITS = { groups: 10, conditions: 20, inValues: 100, valueLength: 255 } as const;

// Control characters have no use in a filter value and would need SOQL escapes of their own.
const filterValueSchema = z
  .string({ error: RuleCode.InvalidInput })
  .max(FILTER_LIMITS.valueLength, { error: RuleCode.InvalidInput })
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, { error: RuleCode.InvalidInput });

export const filterConditionSchema = z.strictObject({
  field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, { error: RuleCode.InvalidInput }),
  operator: z.enum(FILTER_OPERATORS, { error: RuleCode.InvalidInput }),
  /** Every operator but `in`, `isEmpty` and `isNotEmpty`. */
  value: filterValueSchema.optional(),
  /** `in` only. */
  values: z.array(filterValueSchema).max(FILTER_LIMITS.inValues, { error: RuleCode.InvalidInput }).optional(),
});
export type FilterCondition = z.infer<typeof filterConditionSchema>;

export const filterGroupSchema = z.strictObject({
  conditions: z.array(filterConditionSchema).min(1, { error: RuleCode.InvalidInput }).max(FILTER_LIMITS.conditions, { error: RuleCode.InvalidInput }),
});
export type FilterGroup = z.infer<typeof filterGroupSchema>;

export const recordFilterSchema = z
  .strictObject({
    groups: z.array(filterGroupSchema).min(1, { error: RuleCode.InvalidInput }).max(FILTER_LIMITS.groups, { error: RuleCode.InvalidInput }),
  })
  .refine((filter) => filter.groups.reduce((sum, group) => sum + group.conditions.length, 0) <= FILTER_LIMITS.conditions, { error: RuleCode.InvalidInput });
export type RecordFilter = z.infer<typeof recordFilterSchema>;

/** What a field's values are, as far as a filter is concerned; null: the field cannot be filtered on. */
export type FilterFieldKind = 'text' | 'picklist' | 'number' | 'date' | 'datetime' | 'boolean';

const KIND_OF_TYPE: Readonly<Record<string, FilterFieldKind>> = {
  string: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  combobox: 'text',
  textarea: 'text',
  picklist: 'picklist',
  double: 'number',
  currency: 'number',
  percent: 'number',
  int: 'number',
  long: 'number',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
};

/** The operators each kind of field takes (the form offers these, the rules refuse others). */
export const OPERATORS_OF_KIND: Readonly<Record<FilterFieldKind, readonly FilterOperator[]>> = {
  text: ['equals', 'notEquals', 'in', 'contains', 'isEmpty', 'isNotEmpty'],
  picklist: ['equals', 'notEquals', 'in', 'isEmpty', 'isNotEmpty'],
  number: ['equals', 'notEquals', 'greaterThan', 'lessThan', 'isEmpty', 'isNotEmpty'],
  date: ['equals', 'notEquals', 'greaterThan', 'lessThan', 'isEmpty', 'isNotEmpty'],
  datetime: ['greaterThan', 'lessThan', 'isEmpty', 'isNotEmpty'],
  boolean: ['equals'],
};

/** A field the filter may name: in the describe, `filterable`, and of a kind above. */
export function filterFieldKindOf(field: SalesforceField): FilterFieldKind | null {
  if (field.filterable !== true) return null;
  return KIND_OF_TYPE[field.type] ?? null;
}

/** The fields the form offers for a filter, in describe order. */
export function filterableFields(fields: readonly SalesforceField[]): SalesforceField[] {
  return fields.filter((field) => filterFieldKindOf(field) !== null);
}

export function operatorTakesValue(operator: FilterOperator): 'one' | 'many' | 'none' {
  if (operator === 'in') return 'many';
  return operator === 'isEmpty' || operator === 'isNotEmpty' ? 'none' : 'one';
}

/** The form's row (`filter.<group>.<condition>`): where an issue is shown. */
export function filterConditionPath(group: number, condition: number): string {
  return `filter.${group}.${condition}`;
}

// Numbers as Salesforce's SOQL takes them: no exponent, no sign but `-`, at most 18 digits before the point.
const NUMBER_PATTERN = /^-?\d{1,18}(\.\d{1,18})?$/;
// A datetime the user types: a whole ISO 8601 UTC instant (SOQL has no other time zone in a literal).
const UTC_DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Whether `value` is a valid value of a field of this kind (picklists: one of its values, active or not). */
function valueFits(kind: FilterFieldKind, field: SalesforceField, value: string): boolean {
  switch (kind) {
    case 'text':
      return true;
    case 'picklist':
      return (field.picklistValues ?? []).some((entry) => entry.value === value);
    case 'number':
      return NUMBER_PATTERN.test(value);
    case 'date':
      return parseBrevoDate(value) !== null;
    case 'datetime':
      return UTC_DATETIME_PATTERN.test(value) && parseSalesforceDatetime(value) !== null;
    case 'boolean':
      return value === 'true' || value === 'false';
  }
}

/**
 * Every problem of a filter against the object's live describe (empty: it can be saved): the field
 * exists and is filterable, the operator fits its type, the value fits the field (a number, a real
 * date, one of the picklist's values, true or false). Each issue names the form's row.
 */
export function validateRecordFilter(filter: RecordFilter, salesforceFields: readonly SalesforceField[]): RuleIssue[] {
  const fieldsByName = new Map(salesforceFields.map((field) => [field.name, field]));
  const issues: RuleIssue[] = [];
  filter.groups.forEach((group, groupIndex) => {
    group.conditions.forEach((condition, conditionIndex) => {
      const issue = checkCondition(condition, fieldsByName, filterConditionPath(groupIndex, conditionIndex));
      if (issue) issues.push(issue);
    });
  });
  return issues;
}

function checkCondition(condition: FilterCondition, fieldsByName: ReadonlyMap<string, SalesforceField>, path: string): RuleIssue | null {
  const field = fieldsByName.get(condition.field);
  if (!field) return createIssue(RuleCode.FilterUnknownField, path, { salesforceField: condition.field });
  const kind = filterFieldKindOf(field);
  if (!kind) return createIssue(RuleCode.FilterFieldNotFilterable, path, { salesforceField: field.label ?? field.name });
  if (!OPERATORS_OF_KIND[kind].includes(condition.operator)) {
    return createIssue(RuleCode.FilterOperatorUnsupported, path, { salesforceField: field.label ?? field.name, fieldType: field.type });
  }
  const takes = operatorTakesValue(condition.operator);
  const values = takes === 'many' ? (condition.values ?? []) : takes === 'one' && condition.value !== undefined ? [condition.value] : [];
  if (takes !== 'none' && (values.length === 0 || values.some((value) => value.trim() === ''))) {
    return createIssue(RuleCode.FilterValueRequired, path, { salesforceField: field.label ?? field.name });
  }
  const wrong = values.find((value) => !valueFits(kind, field, value));
  if (wrong !== undefined) return createIssue(RuleCode.FilterValueInvalid, path, { salesforceField: field.label ?? field.name, value: wrong, fieldType: field.type });
  return null;
}

/** The Salesforce fields a filter reads (the run queries them with the mapped ones). */
export function filterFields(filter: RecordFilter | null | undefined): string[] {
  return [...new Set((filter?.groups ?? []).flatMap((group) => group.conditions.map((condition) => condition.field)))];
}

/** A stable text of a filter: the sync compares it with the one its watermark was read with. */
export function filterKeyOf(filter: RecordFilter | null | undefined): string | null {
  if (!filter) return null;
  return JSON.stringify(filter.groups.map((group) => group.conditions.map(({ field, operator, value, values }) => [field, operator, value ?? null, values ?? null])));
}

// ---------------------------------------------------------------------------------------------
// SOQL: composed by @jetstreamapp/soql-parser-js. The library writes literals as given, so each
// value is made a literal here: text quoted with SOQL's escapes, the rest checked by validation.
// ---------------------------------------------------------------------------------------------

function quoted(value: string): string {
  return `'${value.replace(/[\\']/g, (character) => `\\${character}`)}'`;
}

/** LIKE's own wildcards in the user's text are literal characters (`contains "50%"`): escaped as `\%` and `\_`. */
function likeContaining(value: string): string {
  return `'%${value.replace(/[\\'%_]/g, (character) => `\\${character}`)}%'`;
}

type Literal = Pick<ValueCondition, 'value' | 'literalType'>;

function literalOf(kind: FilterFieldKind, value: string): Literal {
  switch (kind) {
    case 'text':
    case 'picklist':
      return { value: quoted(value), literalType: 'STRING' };
    case 'number':
      return { value, literalType: value.includes('.') ? 'DECIMAL' : 'INTEGER' };
    case 'date':
      return { value, literalType: 'DATE' };
    case 'datetime':
      return { value, literalType: 'DATETIME' };
    case 'boolean':
      return { value: value === 'true' ? 'TRUE' : 'FALSE', literalType: 'BOOLEAN' };
  }
}

const NULL_LITERAL: Literal = { value: 'NULL', literalType: 'NULL' };

function conditionOf(condition: FilterCondition, kind: FilterFieldKind): ValueCondition {
  const field = condition.field;
  switch (condition.operator) {
    case 'equals':
      return { field, operator: '=', ...literalOf(kind, condition.value!) };
    case 'notEquals':
      return { field, operator: '!=', ...literalOf(kind, condition.value!) };
    case 'greaterThan':
      return { field, operator: '>', ...literalOf(kind, condition.value!) };
    case 'lessThan':
      return { field, operator: '<', ...literalOf(kind, condition.value!) };
    case 'in': {
      const literals = condition.values!.map((value) => literalOf(kind, value));
      return { field, operator: 'IN', value: literals.map((literal) => literal.value as string), literalType: literals[0]!.literalType };
    }
    case 'contains':
      return { field, operator: 'LIKE', value: likeContaining(condition.value!), literalType: 'STRING' };
    case 'isEmpty':
      return { field, operator: '=', ...NULL_LITERAL };
    case 'isNotEmpty':
      return { field, operator: '!=', ...NULL_LITERAL };
  }
}

/**
 * The filter as a SOQL condition (`(A AND B) OR (C)`), for a WHERE clause. Only for a filter that
 * `validateRecordFilter` accepts against these fields: anything else throws.
 */
export function compileRecordFilter(filter: RecordFilter, fieldsByName: ReadonlyMap<string, SalesforceField>): string {
  const conditions: ValueCondition[] = [];
  for (const group of filter.groups) {
    group.conditions.forEach((condition, index) => {
      const field = fieldsByName.get(condition.field);
      const kind = field ? filterFieldKindOf(field) : null;
      if (!field || !kind || checkCondition(condition, fieldsByName, '') !== null) throw new Error(`record filter: the condition on ${condition.field} is not valid for this object`);
      const compiled = conditionOf(condition, kind);
      // Each group in parentheses: AND binds tighter than OR anyway, but the text then says what it means.
      if (index === 0) compiled.openParen = 1;
      if (index === group.conditions.length - 1) compiled.closeParen = 1;
      conditions.push(compiled);
    });
  }
  const where = conditions.reduceRight<WhereClause | null>((right, left, index) => {
    if (!right) return { left };
    const nextStartsGroup = conditions[index + 1]?.openParen === 1;
    return { left, operator: nextStartsGroup ? 'OR' : 'AND', right };
  }, null);
  if (!where) throw new Error('record filter: no condition');
  const query: Query = { fields: [{ type: 'Field', field: 'Id' }], sObject: 'X', where };
  const composed = composeQuery(query);
  const marker = ' WHERE ';
  return composed.slice(composed.indexOf(marker) + marker.length);
}

// ---------------------------------------------------------------------------------------------
// The evaluator: whether one record matches, as Salesforce's query engine decides it (the
// sandbox agreement test holds the two together). Text compares ignoring case; an empty text is
// null (Salesforce stores no empty strings); null is "not equal" to every value and never greater
// or less than one.
// ---------------------------------------------------------------------------------------------

function isNull(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** A record's value and a filter's value as comparable keys of the field's kind; null: not comparable. */
function comparable(kind: FilterFieldKind, value: unknown): string | number | boolean | null {
  if (isNull(value)) return null;
  switch (kind) {
    case 'text':
    case 'picklist':
      return String(value).toLowerCase();
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(number) ? number : null;
    }
    case 'date':
      return typeof value === 'string' ? value.slice(0, 10) : null;
    case 'datetime':
      return typeof value === 'string' ? (parseSalesforceDatetime(value)?.getTime() ?? null) : null;
    case 'boolean':
      return value === true || value === 'true';
  }
}

function conditionMatches(condition: FilterCondition, kind: FilterFieldKind, recordValue: unknown): boolean {
  const actual = comparable(kind, recordValue);
  const expected = condition.value === undefined ? null : comparable(kind, condition.value);
  switch (condition.operator) {
    case 'isEmpty':
      return actual === null;
    case 'isNotEmpty':
      return actual !== null;
    case 'equals':
      return actual !== null && actual === expected;
    case 'notEquals':
      return actual !== expected;
    case 'in':
      return actual !== null && (condition.values ?? []).some((value) => comparable(kind, value) === actual);
    case 'contains':
      return actual !== null && String(actual).includes(String(expected));
    case 'greaterThan':
      return actual !== null && expected !== null && actual > expected;
    case 'lessThan':
      return actual !== null && expected !== null && actual < expected;
  }
}

/** Whether a record matches; every record matches no filter. The filter must be valid against these fields (see `compileRecordFilter`). */
export function recordMatchesFilter(record: Readonly<Record<string, unknown>>, filter: RecordFilter | null | undefined, fieldsByName: ReadonlyMap<string, SalesforceField>): boolean {
  if (!filter) return true;
  return filter.groups.some((group) =>
    group.conditions.every((condition) => {
      const field = fieldsByName.get(condition.field);
      const kind = field ? filterFieldKindOf(field) : null;
      if (!kind) throw new Error(`record filter: ${condition.field} cannot be filtered on`);
      return conditionMatches(condition, kind, record[condition.field]);
    }),
  );
}
