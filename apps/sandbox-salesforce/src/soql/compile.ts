import type { FieldDef, StoredRecord } from '../org/fields.ts';
import { normaliseId } from '../org/ids.ts';
import { findObject, type ObjectDef } from '../org/metadata.ts';
import { parseDateTime } from '../org/values.ts';
import type { Condition, FieldRef, Literal, SelectQuery } from './ast.ts';
import { queryError } from './messages.ts';
import type { SalesforceError } from '../errors.ts';

/**
 * Binds a parsed query to an object's fields, checks literal types the way
 * Salesforce does, and builds the row predicate and comparator.
 */
export interface CompiledQuery {
  def: ObjectDef;
  fields: FieldDef[];
  count: boolean;
  matches: (row: StoredRecord) => boolean;
  /** Undefined when the ORDER BY is SystemModstamp order (or absent): the index order. */
  compare?: (a: StoredRecord, b: StoredRecord) => number;
  /** Smallest SystemModstamp a matching row can have, when the WHERE bounds it. */
  modstampFrom?: number;
  /** The only Ids a matching row can have (`Id = 'x'` / `Id IN (...)` at the top level): fetched by key. */
  ids?: string[];
  limit?: number;
  offset: number;
}

type Value = string | number | boolean | null;
const DAY_MS = 86_400_000;
const MODSTAMP_FIELDS = new Set(['SystemModstamp', 'LastModifiedDate']);
const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);

export function compileQuery(query: SelectQuery, soql: string, now = Date.now()): CompiledQuery {
  const def = findObject(query.object.name);
  if (!def) {
    throw queryError(
      'INVALID_TYPE',
      soql,
      query.object.pos,
      `sObject type '${query.object.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const resolve = (ref: FieldRef): FieldDef => {
    const field = def.byLowerName.get(ref.name.toLowerCase());
    if (field) return field;
    if (ref.name.includes('.')) {
      throw queryError(
        'INVALID_FIELD',
        soql,
        ref.pos,
        `Didn't understand relationship '${ref.name.split('.')[0]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    throw queryError(
      'INVALID_FIELD',
      soql,
      ref.pos,
      `No such column '${ref.name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  };

  const fields: FieldDef[] = [];
  for (const ref of query.fields) {
    if (ref.fieldsFunction) {
      // FIELDS(ALL) and FIELDS(CUSTOM) are bounded like on Salesforce; FIELDS(STANDARD) is not.
      if (ref.fieldsFunction !== 'STANDARD' && (query.limit === undefined || query.limit > 200)) {
        throw queryError('MALFORMED_QUERY', soql, ref.pos, 'The SOQL FIELDS function must have a LIMIT of at most 200');
      }
      for (const field of def.fields) {
        const wanted = ref.fieldsFunction === 'ALL' || (ref.fieldsFunction === 'CUSTOM') === field.custom;
        if (wanted && !fields.includes(field)) fields.push(field);
      }
      continue;
    }
    const field = resolve(ref);
    if (fields.includes(field)) throw queryError('MALFORMED_QUERY', soql, ref.pos, `duplicate field selected: ${field.name}`);
    fields.push(field);
  }
  if (query.offset !== undefined && query.offset > 2000) {
    throw queryError('NUMBER_OUTSIDE_VALID_RANGE', soql, 0, `Maximum SOQL offset allowed is 2000`);
  }

  const ctx: Ctx = { soql, now, resolve };
  const matches = query.where ? compileCondition(query.where, ctx) : () => true;

  let compare: CompiledQuery['compare'];
  const order = query.orderBy.map((item) => ({ ...item, def: resolve(item.field) }));
  for (const item of order) {
    if (!item.def.sortable) {
      throw queryError('INVALID_FIELD', soql, item.field.pos, `field '${item.def.name}' can not be sorted in a query call`);
    }
  }
  // Stamps are unique per org, so an ORDER BY led by SystemModstamp ASC is fully decided by it.
  const indexOrdered = order.length === 0 || (MODSTAMP_FIELDS.has(order[0]!.def.name) && !order[0]!.descending);
  if (!indexOrdered) {
    compare = (a, b) => {
      for (const item of order) {
        const va = fieldValue(item.def, a, now);
        const vb = fieldValue(item.def, b, now);
        if (va === vb) continue;
        if (va === null) return item.nullsLast ? 1 : -1;
        if (vb === null) return item.nullsLast ? -1 : 1;
        const c = compareValues(item.def, va, vb);
        if (c !== 0) return item.descending ? -c : c;
      }
      return 0;
    };
  }

  return {
    def,
    fields,
    count: query.count,
    matches,
    ...(compare ? { compare } : {}),
    ...(query.where ? withBound(modstampLowerBound(query.where, ctx)) : {}),
    ...(query.where ? withIds(idCandidates(query.where, ctx)) : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    offset: query.offset ?? 0,
  };
}

function withBound(bound: number | undefined): { modstampFrom?: number } {
  return bound === undefined ? {} : { modstampFrom: bound };
}

function withIds(ids: string[] | undefined): { ids?: string[] } {
  return ids === undefined ? {} : { ids };
}

/** Ids a top-level `Id = ...` or `Id IN (...)` (alone or in an AND) restricts the rows to. */
function idCandidates(condition: Condition, ctx: Ctx): string[] | undefined {
  if (condition.kind === 'and') {
    for (const item of condition.items) {
      const ids = idCandidates(item, ctx);
      if (ids) return ids;
    }
    return undefined;
  }
  const isId = (ref: FieldRef) => ctx.resolve(ref).type === 'id';
  if (condition.kind === 'compare' && condition.op === '=' && isId(condition.field)) {
    const id = literalValue(ctx.resolve(condition.field), condition.value, ctx);
    return typeof id === 'string' ? [id] : [];
  }
  if (condition.kind === 'in' && !condition.negated && isId(condition.field)) {
    const field = ctx.resolve(condition.field);
    return condition.values.map((v) => literalValue(field, v, ctx)).filter((v): v is string => typeof v === 'string');
  }
  return undefined;
}

interface Ctx {
  soql: string;
  now: number;
  resolve: (ref: FieldRef) => FieldDef;
}

/** A row's value for a field, formulas computed. */
export function fieldValue(field: FieldDef, row: StoredRecord, now: number): Value {
  const raw = field.compute ? field.compute(row, now) : row[field.name];
  return raw === undefined ? null : (raw as Value);
}

function compareValues(field: FieldDef, a: Value, b: Value): number {
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

/** Converts a literal to a comparable value for a field, or throws Salesforce's type error. */
function literalValue(field: FieldDef, literal: Literal, ctx: Ctx): Value {
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
      if (literal.kind === 'dateLiteral') return dateLiteralStart(literal, ctx.now);
      throw mismatch(false);
    case 'date':
      if (literal.kind === 'date') return literal.value;
      if (literal.kind === 'dateLiteral') return new Date(dateLiteralStart(literal, ctx.now)).toISOString().slice(0, 10);
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

function invalidLiteral(ctx: Ctx, literal: Literal): never {
  throw queryError('MALFORMED_QUERY', ctx.soql, literal.pos, `line 1:${literal.pos} no viable alternative at character ' '`);
}

/** Start (UTC midnight) of a relative date literal's range; LAST_N_DAYS:n starts n days back. */
function dateLiteralStart(literal: Extract<Literal, { kind: 'dateLiteral' }>, now: number): number {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  switch (literal.name) {
    case 'YESTERDAY':
      return today - DAY_MS;
    case 'TOMORROW':
      return today + DAY_MS;
    case 'LAST_N_DAYS':
      return today - (literal.n ?? 0) * DAY_MS;
    case 'NEXT_N_DAYS':
      return today + DAY_MS;
    default:
      return today;
  }
}

function compileCondition(condition: Condition, ctx: Ctx): (row: StoredRecord) => boolean {
  switch (condition.kind) {
    case 'and': {
      const items = condition.items.map((c) => compileCondition(c, ctx));
      return (row) => items.every((item) => item(row));
    }
    case 'or': {
      const items = condition.items.map((c) => compileCondition(c, ctx));
      return (row) => items.some((item) => item(row));
    }
    case 'not': {
      const item = compileCondition(condition.item, ctx);
      return (row) => !item(row);
    }
    case 'compare': {
      const field = filterable(ctx.resolve(condition.field), condition.field, ctx);
      const target = literalValue(field, condition.value, ctx);
      const op = condition.op;
      const now = ctx.now;
      const textual = field.type !== 'id' && field.type !== 'reference' && typeof target === 'string';
      const lowered = textual ? (target as string).toLowerCase() : target;
      return (row) => {
        const value = fieldValue(field, row, now);
        if (target === null) return op === '=' ? value === null : op === '!=' ? value !== null : false;
        // SOQL's != includes rows where the field is null, unlike SQL.
        if (value === null) return op === '!=';
        const left = textual && typeof value === 'string' ? value.toLowerCase() : value;
        switch (op) {
          case '=':
            return left === lowered;
          case '!=':
            return left !== lowered;
          case '<':
            return left < lowered!;
          case '<=':
            return left <= lowered!;
          case '>':
            return left > lowered!;
          case '>=':
            return left >= lowered!;
        }
      };
    }
    case 'in': {
      const field = filterable(ctx.resolve(condition.field), condition.field, ctx);
      const textual = field.type !== 'id' && field.type !== 'reference';
      const set = new Set(
        condition.values.map((literal) => {
          const v = literalValue(field, literal, ctx);
          return textual && typeof v === 'string' ? v.toLowerCase() : v;
        }),
      );
      const negated = condition.negated;
      const now = ctx.now;
      return (row) => {
        const value = fieldValue(field, row, now);
        const key = textual && typeof value === 'string' ? value.toLowerCase() : value;
        return set.has(key) !== negated;
      };
    }
    case 'includes': {
      const field = filterable(ctx.resolve(condition.field), condition.field, ctx);
      if (field.type !== 'multipicklist') {
        throw queryError('INVALID_FIELD', ctx.soql, condition.field.pos, `INCLUDES/EXCLUDES operator only valid on multipicklist field`);
      }
      const sets = condition.values.map((literal) => {
        if (literal.kind !== 'string') throw queryError('INVALID_FIELD', ctx.soql, literal.pos, `value of filter criterion for field '${field.name}' must be of type string and should be enclosed in quotes`);
        return literal.value.split(';').map((v) => v.trim().toLowerCase());
      });
      const { excludes } = condition;
      const now = ctx.now;
      return (row) => {
        const value = fieldValue(field, row, now);
        const chosen = new Set(typeof value === 'string' ? value.split(';').map((v) => v.toLowerCase()) : []);
        const hit = sets.some((set) => set.every((v) => chosen.has(v)));
        return excludes ? !hit : hit;
      };
    }
    case 'like': {
      const field = filterable(ctx.resolve(condition.field), condition.field, ctx);
      if (condition.pattern.kind !== 'string') {
        throw queryError('MALFORMED_QUERY', ctx.soql, condition.pattern.pos, `unexpected token: '${String((condition.pattern as { value?: unknown }).value ?? 'null')}'`);
      }
      const regex = likeToRegExp(condition.pattern.value);
      const now = ctx.now;
      return (row) => {
        const value = fieldValue(field, row, now);
        return typeof value === 'string' && regex.test(value);
      };
    }
  }
}

function filterable(field: FieldDef, ref: FieldRef, ctx: Ctx): FieldDef {
  if (!field.filterable) throw queryError('INVALID_FIELD', ctx.soql, ref.pos, `field '${field.name}' can not be filtered in a query call`);
  return field;
}

/** LIKE: `%` any run, `_` one character, `\%` `\_` literal; case-insensitive. */
export function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[i + 1];
      i += 1;
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/**
 * The lowest SystemModstamp a row matching `condition` can have, if the
 * condition implies one: `SystemModstamp > X OR (SystemModstamp = X AND ...)`
 * bounds the scan at X, so a watermark page starts with a binary search.
 */
function modstampLowerBound(condition: Condition, ctx: Ctx): number | undefined {
  switch (condition.kind) {
    case 'compare': {
      const field = ctx.resolve(condition.field);
      if (!MODSTAMP_FIELDS.has(field.name) || !['>', '>=', '='].includes(condition.op)) return undefined;
      const value = literalValue(field, condition.value, ctx);
      return typeof value === 'number' ? value : undefined;
    }
    case 'and': {
      const bounds = condition.items.map((c) => modstampLowerBound(c, ctx)).filter((b): b is number => b !== undefined);
      return bounds.length > 0 ? Math.max(...bounds) : undefined;
    }
    case 'or': {
      const bounds = condition.items.map((c) => modstampLowerBound(c, ctx));
      return bounds.every((b) => b !== undefined) ? Math.min(...(bounds as number[])) : undefined;
    }
    default:
      return undefined;
  }
}
