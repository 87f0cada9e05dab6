import type { Condition, FieldRef } from './ast.ts';
import { literalTarget, literalValue, type BindContext } from './values.ts';

/**
 * What a WHERE clause tells the executor about where matching rows can be,
 * so it can avoid scanning a million rows: a SystemModstamp lower bound
 * (binary search in the index) or an explicit Id list (key lookups).
 */
export const MODSTAMP_FIELDS = new Set(['SystemModstamp', 'LastModifiedDate']);

/**
 * The lowest SystemModstamp a row matching `condition` can have, if the
 * condition implies one: `SystemModstamp > X OR (SystemModstamp = X AND ...)`
 * bounds the scan at X, so a watermark page starts with a binary search.
 */
export function modstampLowerBound(condition: Condition, ctx: BindContext): number | undefined {
  switch (condition.kind) {
    case 'compare': {
      const field = ctx.resolve(condition.field);
      if (!MODSTAMP_FIELDS.has(field.name) || !['>', '>=', '='].includes(condition.op)) return undefined;
      const target = literalTarget(field, condition.value, ctx);
      // A date literal's range: `>` starts after its end, `=` and `>=` at its start.
      const value = 'value' in target ? target.value : condition.op === '>' ? target.to : target.from;
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

/** Ids a top-level `Id = ...` or `Id IN (...)` (alone or in an AND) restricts the rows to. */
export function idCandidates(condition: Condition, ctx: BindContext): string[] | undefined {
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
