import type { FieldDef, StoredRecord } from '../org/fields.ts';
import type { ObjectDef } from '../org/metadata.ts';
import { renderValue } from '../org/values.ts';
import { fieldValue } from '../soql/compile.ts';

/** A row as the REST API returns it: `attributes` first, then the fields asked for, nulls included. */
export function renderRecord(def: ObjectDef, row: StoredRecord, fields: readonly FieldDef[], version: string, now = Date.now()) {
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: `/services/data/v${version}/sobjects/${def.name}/${row.Id}` },
  };
  for (const field of fields) out[field.name] = renderValue(field, fieldValue(field, row, now));
  return out;
}
