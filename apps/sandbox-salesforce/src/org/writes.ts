import { recordError, RecordFailure } from '../errors.ts';
import type { StoredRecord } from './fields.ts';
import { normaliseId } from './ids.ts';
import type { ObjectDef } from './metadata.ts';
import type { Org } from './org.ts';
import { validateWrite, type ValidatedWrite } from './validation.ts';

/**
 * The only code that changes records, used by the REST routes, collections,
 * the records UI and the seed, so all of them get the same validation and
 * SystemModstamp behaviour. Each operation is split into `check` (may throw,
 * changes nothing) and `apply`, so allOrNone collections can check every
 * record before applying any. Every applied write is recorded on the org's
 * change event bus (published when the caller's transaction commits);
 * backdated writes (`at`: the seed's history) publish nothing.
 */

export interface PreparedWrite {
  apply: () => StoredRecord;
}

function derive(def: ObjectDef, record: StoredRecord): void {
  if (def.name === 'Contact' || def.name === 'Lead') {
    record.Name = [record.FirstName, record.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
  }
  if (def.name === 'Case') record.IsClosed = record.Status === 'Closed';
}

function defaults(def: ObjectDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (!field.createable) continue;
    if (field.type === 'boolean') out[field.name] = false;
    if (field.defaultPicklistValue !== undefined) out[field.name] = field.defaultPicklistValue;
  }
  return out;
}

/** `at` backdates the write (seeding history); it must still be after every stamp in the org. */
export function prepareCreate(org: Org, def: ObjectDef, body: unknown, userId: string, at?: number): PreparedWrite {
  const { values } = validateWrite(def, body, 'create');
  checkReferences(org, def, values);
  return {
    apply: () => {
      const stamp = at === undefined ? org.nextStamp() : org.observeStamp(at);
      const record: StoredRecord = {
        ...defaults(def),
        OwnerId: userId,
        ...values,
        Id: org.ids.next(def.keyPrefix),
        IsDeleted: false,
        CreatedDate: stamp,
        CreatedById: userId,
        LastModifiedDate: stamp,
        LastModifiedById: userId,
        SystemModstamp: stamp,
      };
      for (const [k, v] of Object.entries(record)) if (v === null) delete record[k];
      if (def.name === 'Case') record.CaseNumber = org.nextCaseNumber();
      derive(def, record);
      org.tables[def.name].insert(record);
      if (at === undefined) org.changes.record(def.name, 'CREATE', record);
      return record;
    },
  };
}

/** The stored, non-deleted row for an id, or the record-level error Salesforce gives. */
export function findWritable(org: Org, def: ObjectDef, rawId: string): StoredRecord {
  const id = normaliseId(rawId);
  const record = id ? org.tables[def.name].get(id) : undefined;
  if (!id || id.slice(0, 3) !== def.keyPrefix) {
    throw new RecordFailure([recordError('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${rawId}`, ['Id'])]);
  }
  if (!record) throw new RecordFailure([recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [])], 404);
  if (record.IsDeleted) throw new RecordFailure([recordError('ENTITY_IS_DELETED', 'entity is deleted', [])], 404);
  return record;
}

export function prepareUpdate(org: Org, def: ObjectDef, rawId: string, body: unknown, userId: string): PreparedWrite {
  const record = findWritable(org, def, rawId);
  // A converted lead is read-only (org/convert.ts): Salesforce refuses every update of it.
  if (def.name === 'Lead' && record.IsConverted === true) {
    throw new RecordFailure([recordError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [])]);
  }
  const validated: ValidatedWrite = validateWrite(def, body, 'update', record);
  checkReferences(org, def, validated.values);
  return {
    apply: () => {
      const changed = Object.keys(validated.values).filter((k) => (record[k] ?? null) !== (validated.values[k] ?? null));
      if (record.LastModifiedById !== userId) changed.push('LastModifiedById');
      for (const [k, v] of Object.entries(validated.values)) {
        if (v === null) delete record[k];
        else record[k] = v;
      }
      derive(def, record);
      touch(org, def, record, userId);
      org.changes.record(def.name, 'UPDATE', record, [...changed, 'LastModifiedDate']);
      return record;
    },
  };
}

export function prepareDelete(org: Org, def: ObjectDef, rawId: string, userId: string, at?: number): PreparedWrite {
  const record = findWritable(org, def, rawId);
  if (def.name === 'Contact') {
    const cases = [...org.tables.Case.values()].filter((c) => !c.IsDeleted && c.ContactId === record.Id);
    if (cases.length > 0) {
      const who = [record.Salutation, record.FirstName, record.LastName].filter(Boolean).join(' ');
      throw new RecordFailure([
        recordError(
          'DELETE_FAILED',
          `Your attempt to delete ${who} could not be completed because it is associated with the following cases.: ${cases
            .map((c) => String(c.CaseNumber))
            .join(', ')}\n`,
          [],
        ),
      ]);
    }
  }
  return {
    apply: () => {
      record.IsDeleted = true;
      touch(org, def, record, userId, at);
      if (at === undefined) org.changes.record(def.name, 'DELETE', record);
      return record;
    },
  };
}

function touch(org: Org, def: ObjectDef, record: StoredRecord, userId: string, at?: number): void {
  const stamp = at === undefined ? org.nextStamp() : org.observeStamp(at);
  record.LastModifiedDate = stamp;
  record.LastModifiedById = userId;
  record.SystemModstamp = stamp;
  org.tables[def.name].touched(record);
}

/** Lookups to records the sandbox holds (a Case's Contact) must point at a live row. */
function checkReferences(org: Org, def: ObjectDef, values: Record<string, unknown>): void {
  if (def.name !== 'Case' || typeof values.ContactId !== 'string') return;
  const id = normaliseId(values.ContactId);
  const contact = id ? org.tables.Contact.get(id) : undefined;
  if (!contact || contact.IsDeleted) {
    throw new RecordFailure([
      recordError('FIELD_INTEGRITY_EXCEPTION', 'Contact ID: id value of incorrect type: ' + values.ContactId, ['ContactId']),
    ]);
  }
  values.ContactId = id;
}

