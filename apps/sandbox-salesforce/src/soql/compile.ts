import type { FieldDef, StoredRecord } from '../org/fields.ts';
import { findObject, type ObjectDef } from '../org/metadata.ts';
import type { FieldRef, SelectQuery } from './ast.ts';
import { compileCondition } from './conditions.ts';
import { idCandidates, modstampLowerBound, MODSTAMP_FIELDS } from './index-hints.ts';
import { queryError } from './messages.ts';
import { compareValues, fieldValue, type BindContext } from './values.ts';

export { fieldValue } from './values.ts';
export { likeToRegExp } from './conditions.ts';

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

  const ctx: BindContext = { soql, now, resolve };
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
