import { formatBrevoDateTime } from '../dates.ts';
import type { Contact } from './model.ts';

/** A contact as GET /contacts and GET /contacts/lists/{id}/contacts list it (SDK type GetContactDetails). */
export function contactJson(contact: Contact): Record<string, unknown> {
  const json: Record<string, unknown> = { id: contact.id };
  if (contact.email !== undefined) json.email = contact.email;
  json.emailBlacklisted = contact.emailBlacklisted;
  json.smsBlacklisted = contact.smsBlacklisted;
  json.whatsappBlacklisted = contact.whatsappBlacklisted;
  json.createdAt = formatBrevoDateTime(contact.createdAt);
  json.modifiedAt = formatBrevoDateTime(contact.modifiedAt);
  json.attributes = { ...contact.attributes };
  json.listIds = [...contact.listIds];
  json.listUnsubscribed = [...contact.listUnsubscribed];
  return json;
}

/** GET /contacts/{identifier} adds campaign statistics (none in the sandbox: nothing is ever sent to contacts). */
export function contactInfoJson(contact: Contact): Record<string, unknown> {
  return { ...contactJson(contact), statistics: {} };
}
