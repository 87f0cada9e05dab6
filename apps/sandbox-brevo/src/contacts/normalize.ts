import type { Attribute, AttributeStore } from '../attributes/store.ts';
import { isCalendarDate } from '../dates.ts';
import { invalid } from '../errors.ts';
import type { AttributeValue, ContactWrite } from './model.ts';
import { normalizePhone } from './phone.ts';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_ATTRIBUTES = new Set(['SMS', 'WHATSAPP', 'LANDLINE_NUMBER']);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function normalizeEmail(value: unknown): string {
  if (typeof value !== 'string') throw invalid('email should be type string');
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) throw invalid('Invalid email address');
  return email;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(`${field} should be type boolean`);
  return value;
}

export function integerArray(body: Record<string, unknown>, field: string): number[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => Number.isSafeInteger(item) && (item as number) > 0)) {
    throw invalid(`${field} should be an array of positive integers`);
  }
  return [...new Set(value as number[])];
}

/**
 * Turns Brevo's `attributes` object into validated values. What Brevo
 * documents (createContact / updateContact): names are upper case and must
 * exist in the account; "values that don't match the attribute type (e.g.
 * text or string in a date attribute) will be ignored". So an unknown
 * attribute or a mistyped value is dropped, not refused; the identifiers
 * (SMS, WHATSAPP, LANDLINE_NUMBER, EXT_ID) and EMAIL are the exception: a bad
 * phone number is refused with `invalid_parameter`.
 */
export function normalizeAttributes(raw: unknown, attributes: AttributeStore, allowEmail: boolean): {
  values: Record<string, AttributeValue | null>;
  email?: string | null;
} {
  if (raw === undefined || raw === null) return { values: {} };
  if (!isPlainObject(raw)) throw invalid('attributes should be an object');
  const values: Record<string, AttributeValue | null> = {};
  let email: string | null | undefined;
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'EMAIL') {
      if (!allowEmail) continue;
      email = value === null || value === '' ? null : normalizeEmail(value);
      continue;
    }
    const definition = attributes.get(name);
    if (!definition) continue;
    if (value === null || value === '') {
      if (definition.category !== 'calculated' && definition.category !== 'global') values[name] = null;
      continue;
    }
    if (PHONE_ATTRIBUTES.has(name)) {
      const phone = typeof value === 'string' || typeof value === 'number' ? normalizePhone(String(value)) : undefined;
      if (!phone) throw invalid(name === 'SMS' ? 'Invalid phone number' : `Invalid ${name} number`);
      values[name] = phone;
      continue;
    }
    if (name === 'EXT_ID') {
      if (typeof value !== 'string' && typeof value !== 'number') throw invalid('ext_id should be type string');
      values[name] = String(value);
      continue;
    }
    const coerced = coerce(definition.type, value, definition);
    if (coerced !== undefined && definition.category !== 'calculated' && definition.category !== 'global') values[name] = coerced;
  }
  return email === undefined ? { values } : { values, email };
}

function coerce(
  type: string | undefined,
  value: unknown,
  { enumeration, multiCategoryOptions }: Pick<Attribute, 'enumeration' | 'multiCategoryOptions'>,
): AttributeValue | undefined {
  switch (type) {
    case 'text':
    case 'id':
    case 'user':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? value : undefined;
    case 'float': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(number) ? number : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return undefined;
    case 'category': {
      const match = enumeration?.find((item) => item.value === Number(value) || item.label === value);
      return match?.label;
    }
    case 'multiple-choice':
      // An array of the attribute's option labels ({"COUNTRIES": ["India","China"]} in createContact's reference). A value
      // that is not one, or names a label the attribute does not offer, does not match the type: ignored, as documented.
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && multiCategoryOptions?.includes(item))) return undefined;
      return [...new Set(value as string[])];
    default:
      return undefined;
  }
}

/** The fields createContact and updateContact share. */
export function normalizeWrite(
  body: Record<string, unknown>,
  attributes: AttributeStore,
  mode: 'create' | 'update',
): ContactWrite {
  const { values, email: emailAttribute } = normalizeAttributes(body.attributes, attributes, mode === 'update');
  const write: ContactWrite = { attributes: values };
  if (mode === 'create' && body.email !== undefined && body.email !== null && body.email !== '') write.email = normalizeEmail(body.email);
  if (mode === 'update' && emailAttribute !== undefined) write.email = emailAttribute;
  if (body.ext_id !== undefined && body.ext_id !== null) {
    if (typeof body.ext_id !== 'string' && typeof body.ext_id !== 'number') throw invalid('ext_id should be type string');
    write.attributes.EXT_ID = String(body.ext_id) === '' ? null : String(body.ext_id);
  }
  const emailBlacklisted = optionalBoolean(body, 'emailBlacklisted');
  if (emailBlacklisted !== undefined) write.emailBlacklisted = emailBlacklisted;
  const smsBlacklisted = optionalBoolean(body, 'smsBlacklisted');
  if (smsBlacklisted !== undefined) write.smsBlacklisted = smsBlacklisted;
  const listIds = integerArray(body, 'listIds');
  if (listIds) write.listIds = listIds;
  if (mode === 'update') {
    const unlink = integerArray(body, 'unlinkListIds');
    if (unlink) write.unlinkListIds = unlink;
  }
  return write;
}
