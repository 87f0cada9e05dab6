import type { SalesforceError } from '../errors.ts';
import type { FieldDef, StoredRecord } from '../org/fields.ts';
import { normaliseId } from '../org/ids.ts';
import { parseDateTime } from '../org/values.ts';
import type { FieldRef, Literal } from './ast.ts';
import { dateLiteralRange } from './date-literals.ts';
import { queryError } from './messages.ts';

/** SOQL values: reading a row's field, comparing values, and typing literals against fields. */
export type Value = string | number | boolean | null;
const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);

/** What binding a condition needs: the query text (for error carets), the clock, field lookup. */
export interface BindContext {
  soql: string;
  now: number;
  resolve: (ref: FieldRef) => FieldDef;
}

/** A row's value for a field, formulas computed. */
export function fieldValue(field: FieldDef, row: StoredRecord, now: number): Value {
  const raw = field.compute ? field.compute(row, now) : row[field.name];
  return raw === undefined ? null : (raw as Value);
}

export function compareValues(field: FieldDef, a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    // Ids compare by their case-sensitive 15-char form; text compares case-insensitively.
    if (field.type === 'id' || field.type === 'reference') return a < b ? -1 : a > b ? 1 : 0;
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function typeName(field: FieldDef): string {
  if (field.type === 'datetime') return 'dateTime';
  if (NUMERIC.has(field.type)) return field.type === 'int' ? 'int' : 'double';
  if (field.type === 'boolean' || field.type === 'date') return field.type;
  return 'string';
}

/**
 * What a literal stands for against a field: one value, or for a relative
 * date literal (TODAY, LAST_N_DAYS:n...) the range [from, to) of its days.
 */
export type Target = { value: Value } | { from: Value; to: Value };

export function literalTarget(field: FieldDef, literal: Literal, ctx: BindContext): Target {
  if (literal.kind !== 'dateLiteral' || (field.type !== 'datetime' && field.type !== 'date')) return { value: literalValue(field, literal, ctx) };
  const range = dateLiteralRange(literal, ctx.now);
  if (!range) throw queryError('MALFORMED_QUERY', ctx.soql, literal.pos, `unexpected token: '${literal.name}'`);
  if (field.type === 'datetime') return range;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(range.from), to: day(range.to) };
}

/** Converts a literal to a comparable value for a field, or throws Salesforce's type error. */
export function literalValue(field: FieldDef, literal: Literal, ctx: BindContext): Value {
  const mismatch = (quoted: boolean): SalesforceError =>
    queryError(
      'INVALID_FIELD',
      ctx.soql,
      literal.pos,
      `value of filter criterion for field '${field.name}' must be of type ${typeName(field)} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
    );
  if (literal.kind === 'null') return null;
  switch (field.type) {
    case 'datetime':
      if (literal.kind === 'datetime') return parseDateTime(literal.value) ?? invalidLiteral(ctx, literal);
      throw mismatch(false);
    case 'date':
      if (literal.kind === 'date') return literal.value;
      throw mismatch(false);
    case 'boolean':
      if (literal.kind === 'boolean') return literal.value;
      throw mismatch(false);
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      if (literal.kind === 'number') return literal.value;
      throw mismatch(false);
    case 'id':
    case 'reference': {
      if (literal.kind !== 'string') throw mismatch(true);
      const id = normaliseId(literal.value);
      if (!id) throw queryError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, literal.pos, `invalid ID field: ${literal.value}`);
      return id;
    }
    default:
      if (literal.kind === 'string') return literal.value;
      throw mismatch(true);
  }
}

function invalidLiteral(ctx: BindContext, literal: Literal): never {
  throw queryError('MALFORMED_QUERY', ctx.soql, literal.pos, `line 1:${literal.pos} no viable alternative at character ' '`);
}
