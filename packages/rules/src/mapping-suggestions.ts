import type { BrevoAttribute, SalesforceField } from './field-types.ts';
import { describeMappingOptions } from './mapping-eligibility.ts';

/**
 * Salesforce fields that hold what a Brevo attribute of the default account means, most
 * likely first, beyond the attribute's own name (`FIRSTNAME` ↔ `FirstName` needs no entry).
 * Contact and Lead names both appear (`MailingCity` on Contacts, `City` on Leads). Brevo's
 * other identifiers (WHATSAPP, LANDLINE_NUMBER: unique per account, normalised by Brevo) are
 * never suggested: only the user decides to feed them.
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  SMS: ['MobilePhone', 'Mobile', 'Phone'],
  JOB_TITLE: ['Title'],
  COMPANY: ['Company', 'CompanyName', 'AccountName'],
  CITY: ['MailingCity', 'City'],
  COUNTRY: ['MailingCountry', 'Country'],
  STATE: ['MailingState', 'State'],
  ZIP: ['MailingPostalCode', 'PostalCode'],
  POSTCODE: ['MailingPostalCode', 'PostalCode'],
  STREET: ['MailingStreet', 'Street'],
  ADDRESS: ['MailingStreet', 'Street'],
  BIRTHDAY: ['Birthdate', 'Birthdate__c', 'DateOfBirth__c'],
  DOB: ['Birthdate', 'Birthdate__c'],
  DEPARTMENT: ['Department'],
  WEBSITE: ['Website'],
};

const NEVER_SUGGESTED: ReadonlySet<string> = new Set(['WHATSAPP', 'LANDLINE_NUMBER']);

/** `First_Name__c`, `FIRSTNAME`, `First Name` → `firstname`. */
const comparable = (name: string) => name.replace(/__c$/i, '').replace(/[^a-z0-9]/gi, '').toLowerCase();

/**
 * The obvious pairs for a mapping form that opens empty (the user confirms or changes each):
 * for every Brevo attribute that can be mapped, the first Salesforce field it may take (R5/R6,
 * so a phone goes to SMS only when it is a phone field) whose API name or label is the
 * attribute's name or one of its usual Salesforce names. Each field is suggested once, EMAIL
 * and SMS first; the result always passes `validateMapping` except for R5's Email-or-SMS.
 */
export function suggestMapping(salesforceFields: readonly SalesforceField[], brevoAttributes: readonly BrevoAttribute[]): Record<string, string> {
  const suggested: Record<string, string> = {};
  const used = new Set<string>();
  for (const option of describeMappingOptions(salesforceFields, brevoAttributes)) {
    const name = option.attribute.name.toUpperCase();
    if (!option.kind || NEVER_SUGGESTED.has(name)) continue;
    const wanted = [name, ...(SYNONYMS[name] ?? [])].map(comparable);
    for (const candidate of wanted) {
      const field = option.eligibleFields.find(
        (eligible) => !used.has(eligible.name) && (comparable(eligible.name) === candidate || (eligible.label !== undefined && comparable(eligible.label) === candidate)),
      );
      if (field) {
        suggested[option.attribute.name] = field.name;
        used.add(field.name);
        break;
      }
    }
  }
  return suggested;
}
