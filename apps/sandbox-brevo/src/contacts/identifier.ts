import { invalid, notFound } from '../errors.ts';
import type { Contact, IdentifierKind } from './model.ts';
import { normalizePhone } from './phone.ts';
import type { ContactStore } from './store.ts';

const BY_TYPE: Record<string, IdentifierKind | 'id'> = {
  email_id: 'email',
  contact_id: 'id',
  ext_id: 'EXT_ID',
  phone_id: 'SMS',
  whatsapp_id: 'WHATSAPP',
  landline_number_id: 'LANDLINE_NUMBER',
};

export const contactNotFound = () => notFound('Contact does not exist');

/**
 * Resolves `/contacts/{identifier}[?identifierType=…]`. With identifierType
 * every kind works; without it Brevo detects an email (contains `@`) or a
 * contact id (digits), and for GET only also an SMS number (leading `+`)
 * (SDK doc comments on getContactInfo / updateContact / deleteContact).
 */
export function resolveContact(
  store: ContactStore,
  identifier: string,
  identifierType: unknown,
  method: 'GET' | 'PUT' | 'DELETE',
): Contact {
  if (identifierType !== undefined && identifierType !== '') {
    const kind = typeof identifierType === 'string' ? BY_TYPE[identifierType] : undefined;
    if (!kind) throw invalid('identifierType is not valid');
    return lookup(store, kind, identifier) ?? throwNotFound();
  }
  if (identifier.includes('@')) return lookup(store, 'email', identifier) ?? throwNotFound();
  // Digits are a contact id first; GET also accepts an SMS number there (`33612345678`, `+33…`, `0033…`).
  if (/^\d+$/.test(identifier)) return lookup(store, 'id', identifier) ?? (method === 'GET' ? lookup(store, 'SMS', identifier) : undefined) ?? throwNotFound();
  if (method === 'GET' && identifier.startsWith('+')) return lookup(store, 'SMS', identifier) ?? throwNotFound();
  throw invalid('Invalid identifier: pass identifierType for ext_id, phone, WhatsApp or landline identifiers');
}

function lookup(store: ContactStore, kind: IdentifierKind | 'id', value: string): Contact | undefined {
  if (kind === 'id') return /^\d+$/.test(value) ? store.get(Number(value)) : undefined;
  if (kind === 'SMS' || kind === 'WHATSAPP' || kind === 'LANDLINE_NUMBER') {
    const phone = normalizePhone(value);
    return phone ? store.findBy(kind, phone) : undefined;
  }
  return store.findBy(kind, value);
}

function throwNotFound(): never {
  throw contactNotFound();
}
