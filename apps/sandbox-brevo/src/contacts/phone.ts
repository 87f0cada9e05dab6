import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Brevo accepts SMS numbers with their country code in three spellings
 * (`+91xxxxxxxxxx`, `0091xxxxxxxxxx`, `91xxxxxxxxxx`: the SDK's note on
 * createContact) and refuses numbers that are not valid for their country.
 * The sandbox stores what Brevo's reference shows in contact examples:
 * the country code and number as digits, without `+` (`"SMS": "33058407250"`
 * in the getContacts response example of Brevo's OpenAPI).
 */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s().-]/g, '');
  if (!/^(\+|00)?\d{6,17}$/.test(compact)) return undefined;
  const international = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : `+${compact}`;
  const parsed = parsePhoneNumberFromString(international);
  return parsed?.isValid() ? parsed.number.slice(1) : undefined;
}
