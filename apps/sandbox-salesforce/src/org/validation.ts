import { errors, recordError, RecordFailure, type SalesforceError, type RecordError } from '../errors.ts';
import type { FieldDef } from './fields.ts';
import type { ObjectDef } from './metadata.ts';
import { normaliseId } from './ids.ts';
import { isCalendarDate, parseDateTime } from './values.ts';

/**
 * Turns a JSON body into stored values the way Salesforce's deserializer and
 * save-time validation do. Two tiers, as on the real platform:
 * - request-level (SalesforceError): unknown field, a value of the wrong JSON
 *   type — the whole request fails with 400, even in a collection;
 * - record-level (RecordFailure): lengths, required fields, read-only fields,
 *   e-mail format, restricted picklists — that record fails, others may save.
 */
export type WriteMode = 'create' | 'update';

// Salesforce's address check is permissive; this accepts what it accepts in practice.
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

const IGNORED_KEYS = new Set(['attributes']);

function jsonKind(value: unknown): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (Array.isArray(value)) return 'START_ARRAY';
  return 'START_OBJECT';
}

function deserializeError(javaType: string, value: unknown): SalesforceError {
  const shown = typeof value === 'object' ? '' : ` value ${String(value)}`;
  return errors.jsonParser(
    `Cannot deserialize instance of ${javaType} from ${jsonKind(value)}${shown} or request may be missing a required field`,
  );
}

/** Coerces one JSON value to the field's stored form, or throws the deserializer's error. */
function coerce(field: FieldDef, value: unknown): unknown {
  if (value === null) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw deserializeError('boolean', value);
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw deserializeError(field.type === 'int' ? 'int' : 'double', value);
      if (field.type === 'int' && !Number.isInteger(n)) throw deserializeError('int', value);
      return n;
    }
    case 'date':
      if (typeof value !== 'string') throw deserializeError('date', value);
      if (value === '') return null;
      if (!isCalendarDate(value)) throw deserializeError('date', value);
      return value;
    case 'datetime': {
      if (typeof value !== 'string') throw deserializeError('datetime', value);
      if (value === '') return null;
      const ms = parseDateTime(value);
      if (ms === undefined) throw deserializeError('datetime', value);
      return ms;
    }
    default:
      if (typeof value === 'string') return value === '' ? null : value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      // A multi-select picklist takes its values joined by ';', never a JSON array.
      throw deserializeError(field.type === 'multipicklist' ? 'multipicklist' : 'string', value);
  }
}

function checkValue(field: FieldDef, value: unknown, problems: RecordError[]): void {
  if (value === null) return;
  if (typeof value === 'string') {
    if (field.type === 'email' && !EMAIL_RE.test(value)) {
      problems.push(recordError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]));
      return;
    }
    if (field.type === 'reference') {
      const id = normaliseId(value);
      if (!id || !field.referenceTo.some((t) => prefixFor(t) === id.slice(0, 3))) {
        problems.push(recordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]));
      }
      return;
    }
    // A multi-select picklist's value is its values joined by ';': each must be one of a restricted field's values.
    const chosen = field.type === 'multipicklist' ? value.split(';') : [value];
    const refused = field.restrictedPicklist && (field.type === 'picklist' || field.type === 'multipicklist') ? chosen.find((one) => !field.picklistValues.includes(one)) : undefined;
    if (refused !== undefined) {
      problems.push(
        recordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${refused}`, [
          field.name,
        ]),
      );
      return;
    }
    if (field.length > 0 && value.length > field.length) {
      problems.push(
        recordError('STRING_TOO_LONG', `${field.label}: data value too large: ${value} (max length=${field.length})`, [field.name]),
      );
    }
    return;
  }
  if (typeof value === 'number' && field.precision > 0) {
    const intDigits = field.precision - field.scale;
    if (Math.abs(value) >= 10 ** intDigits) {
      problems.push(
        recordError('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${value}`, [
          field.name,
        ]),
      );
    }
  }
}

const PREFIXES: Record<string, string> = { Account: '001', Contact: '003', Lead: '00Q', Case: '500', User: '005' };
function prefixFor(type: string): string | undefined {
  return PREFIXES[type];
}

export interface ValidatedWrite {
  values: Record<string, unknown>;
}

/**
 * Validates a write body against the object's fields. `current` is the stored
 * row on update, so blanking a required field is caught too.
 */
export function validateWrite(
  def: ObjectDef,
  body: unknown,
  mode: WriteMode,
  current?: Record<string, unknown>,
): ValidatedWrite {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw errors.jsonParser(`Cannot deserialize instance of ${def.name} from ${jsonKind(body)}`);
  }
  const values: Record<string, unknown> = {};
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (IGNORED_KEYS.has(key)) continue;
    // Collections carry the record's Id in the body; it selects, never writes.
    if (key.toLowerCase() === 'id' && mode === 'update') continue;
    const field = def.byLowerName.get(key.toLowerCase());
    if (!field) throw errors.invalidField(`No such column '${key}' on sobject of type ${def.name}`);
    const value = coerce(field, raw);
    if (!(mode === 'create' ? field.createable : field.updateable)) {
      readOnly.push(field.name);
      continue;
    }
    values[field.name] = value;
  }

  const problems: RecordError[] = [];
  if (readOnly.length > 0) {
    problems.push(
      recordError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      ),
    );
  }
  const missing = def.fields
    .filter((field) => field.required)
    .filter((field) => {
      const value = field.name in values ? values[field.name] : mode === 'update' ? current?.[field.name] : undefined;
      return value === null || value === undefined;
    })
    .map((field) => field.name);
  if (missing.length > 0) {
    problems.push(recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing));
  }
  for (const [name, value] of Object.entries(values)) checkValue(def.byLowerName.get(name.toLowerCase())!, value, problems);
  if (problems.length > 0) throw new RecordFailure(problems);
  return { values };
}
