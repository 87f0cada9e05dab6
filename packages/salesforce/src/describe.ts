import type { SalesforceField, SalesforceObjectName } from '@contact-sync/rules';
import type { Connection } from 'jsforce';

/** The part of a describe field the mapping rules and the form read. */
export function toSalesforceField(field: {
  name: string;
  label?: string;
  type: string;
  length?: number;
  calculated?: boolean;
  createable?: boolean;
  updateable?: boolean;
  nillable?: boolean;
  filterable?: boolean;
  picklistValues?: { value: string; label?: string | null; active?: boolean }[] | null;
  restrictedPicklist?: boolean;
}): SalesforceField {
  const picklist = field.type === 'picklist' || field.type === 'multipicklist';
  return {
    name: field.name,
    label: field.label ?? field.name,
    type: field.type,
    length: field.length ?? 0,
    calculated: field.calculated === true,
    createable: field.createable === true,
    updateable: field.updateable === true,
    nillable: field.nillable === true,
    filterable: field.filterable === true,
    ...(picklist
      ? {
          picklistValues: (field.picklistValues ?? []).map((entry) => ({ value: entry.value, label: entry.label ?? entry.value, active: entry.active !== false })),
          restrictedPicklist: field.restrictedPicklist === true,
        }
      : {}),
  };
}

/** `GET /sobjects/<object>/describe`: the object's fields. */
export async function describeObject(connection: Connection, object: SalesforceObjectName): Promise<SalesforceField[]> {
  const result = await connection.describe(object);
  return result.fields.map(toSalesforceField);
}
