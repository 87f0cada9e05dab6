import type { FieldDef, StoredRecord } from '../org/fields.ts';
import type { ComparisonOp, Condition, FieldRef } from './ast.ts';
import { queryError } from './messages.ts';
import { fieldValue, literalTarget, type BindContext, type Value } from './values.ts';

/** WHERE conditions compiled to row predicates, with SOQL's semantics (case-insensitive text, `!=` keeps nulls). */
export function compileCondition(condition: Condition, ctx: BindContext): (row: StoredRecord) => boolean {
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
      const target = literalTarget(field, condition.value, ctx);
      return 'value' in target ? comparison(field, condition.op, target.value, ctx.now) : rangeComparison(field, condition.op, target, ctx.now);
    }
    case 'in': {
      const field = filterable(ctx.resolve(condition.field), condition.field, ctx);
      const textual = field.type !== 'id' && field.type !== 'reference';
      const targets = condition.values.map((literal) => literalTarget(field, literal, ctx));
      const set = new Set(targets.flatMap((t) => ('value' in t ? [textual && typeof t.value === 'string' ? t.value.toLowerCase() : t.value] : [])));
      const ranges = targets.flatMap((t) => ('from' in t ? [rangeComparison(field, '=', t, ctx.now)] : []));
      const negated = condition.negated;
      const now = ctx.now;
      return (row) => {
        const value = fieldValue(field, row, now);
        const key = textual && typeof value === 'string' ? value.toLowerCase() : value;
        return (set.has(key) || ranges.some((within) => within(row))) !== negated;
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

function comparison(field: FieldDef, op: ComparisonOp, target: Value, now: number): (row: StoredRecord) => boolean {
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

/** A date literal's range: `=` within it, `<` before its start, `<=` before its end, `>` from its end, `>=` from its start. */
function rangeComparison(field: FieldDef, op: ComparisonOp, range: { from: Value; to: Value }, now: number): (row: StoredRecord) => boolean {
  switch (op) {
    case '<':
    case '>=':
      return comparison(field, op, range.from, now);
    case '<=':
      return comparison(field, '<', range.to, now);
    case '>':
      return comparison(field, '>=', range.to, now);
    default: {
      const after = comparison(field, '>=', range.from, now);
      const before = comparison(field, '<', range.to, now);
      const within = op === '=';
      // SOQL's != keeps nulls here too.
      return (row) => (fieldValue(field, row, now) === null ? !within : (after(row) && before(row)) === within);
    }
  }
}

function filterable(field: FieldDef, ref: FieldRef, ctx: BindContext): FieldDef {
  if (!field.filterable) throw queryError('INVALID_FIELD', ctx.soql, ref.pos, `field '${field.name}' can not be filtered in a query call`);
  return field;
}

/** LIKE: `%` any run, `_` one character; `\%` `\_` `\\` literal (the parser keeps them escaped); case-insensitive. */
export function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '\\' && (next === '%' || next === '_' || next === '\\')) {
      source += next === '\\' ? '\\\\' : next;
      i += 1;
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}
