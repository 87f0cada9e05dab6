/** A contact as the sandbox keeps it; serialized to Brevo's JSON by serialize.ts. */
export type AttributeValue = string | number | boolean | string[];

export interface Contact {
  id: number;
  /** Lower-cased, as Brevo stores it. */
  email: string | undefined;
  /** Upper-case names; identifiers SMS, WHATSAPP, LANDLINE_NUMBER and EXT_ID live here too, as in Brevo. */
  attributes: Record<string, AttributeValue>;
  emailBlacklisted: boolean;
  smsBlacklisted: boolean;
  whatsappBlacklisted: boolean;
  listIds: number[];
  listUnsubscribed: number[];
  createdAt: number;
  modifiedAt: number;
}

/** A validated write: `null` clears a value. */
export interface ContactWrite {
  email?: string | null;
  attributes: Record<string, AttributeValue | null>;
  emailBlacklisted?: boolean;
  smsBlacklisted?: boolean;
  listIds?: number[];
  unlinkListIds?: number[];
}

/** Who made a change: Brevo names the API key in `contact_updated` webhooks (`api_key_name`, '' for the UI). */
export interface WriteContext {
  apiKeyName: string;
}

export type IdentifierKind = 'email' | 'SMS' | 'EXT_ID' | 'WHATSAPP' | 'LANDLINE_NUMBER';

export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['email', 'SMS', 'EXT_ID', 'WHATSAPP', 'LANDLINE_NUMBER'];

/** The name Brevo puts in `duplicate_identifiers` and in its messages. */
export const IDENTIFIER_LABEL: Record<IdentifierKind, string> = {
  email: 'email',
  SMS: 'SMS',
  EXT_ID: 'ext_id',
  WHATSAPP: 'WHATSAPP',
  LANDLINE_NUMBER: 'LANDLINE_NUMBER',
};

export function identifierOf(contact: Contact, kind: IdentifierKind): string | undefined {
  if (kind === 'email') return contact.email;
  const value = contact.attributes[kind];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
