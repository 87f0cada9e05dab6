import { describe, expect, it } from 'vitest';
import { brevoAttributes, leadFields } from './__fixtures__/salesforce-lead.ts';
import type { BrevoAttribute, SalesforceField } from './field-types.ts';
import { validateMapping } from './mapping.ts';
import { suggestMapping } from './mapping-suggestions.ts';

const contactFields: SalesforceField[] = [
  { name: 'Id', type: 'id' },
  { name: 'Email', label: 'Email', type: 'email' },
  { name: 'FirstName', label: 'First Name', type: 'string', length: 40 },
  { name: 'LastName', label: 'Last Name', type: 'string', length: 80 },
  { name: 'Phone', label: 'Business Phone', type: 'phone' },
  { name: 'MobilePhone', label: 'Mobile Phone', type: 'phone' },
  { name: 'Title', label: 'Title', type: 'string' },
  { name: 'MailingCity', label: 'Mailing City', type: 'string' },
  { name: 'Birthdate', label: 'Birthdate', type: 'date' },
  { name: 'Full_Name__c', label: 'First Name', type: 'string', calculated: true },
  { name: 'Newsletter__c', label: 'Newsletter', type: 'boolean' },
];
const accountAttributes: BrevoAttribute[] = [
  { name: 'EMAIL', category: 'normal', type: 'text' },
  { name: 'SMS', category: 'normal', type: 'text' },
  { name: 'FIRSTNAME', category: 'normal', type: 'text' },
  { name: 'LASTNAME', category: 'normal', type: 'text' },
  { name: 'JOB_TITLE', category: 'normal', type: 'text' },
  { name: 'CITY', category: 'normal', type: 'text' },
  { name: 'BIRTHDAY', category: 'normal', type: 'date' },
  { name: 'LANDLINE_NUMBER', category: 'normal', type: 'text' },
  { name: 'NEWSLETTER', category: 'normal', type: 'boolean' },
  { name: 'EXT_ID', category: 'normal', type: 'text' },
  { name: 'SCORE', category: 'normal', type: 'float' },
];

describe('suggestMapping', () => {
  it('pairs the obvious fields by name and type: Email, names, the mobile to SMS, title, city, birthdate, a Yes/No', () => {
    expect(suggestMapping(contactFields, accountAttributes)).toEqual({
      EMAIL: 'Email',
      SMS: 'MobilePhone',
      FIRSTNAME: 'FirstName',
      LASTNAME: 'LastName',
      JOB_TITLE: 'Title',
      CITY: 'MailingCity',
      BIRTHDAY: 'Birthdate',
      NEWSLETTER: 'Newsletter__c',
    });
  });

  it('never suggests what the rules refuse (a type mismatch, formula, the link attribute, a non-phone for SMS, a field twice) nor Brevo\'s other identifiers', () => {
    expect(suggestMapping([{ name: 'LandlineNumber', type: 'phone' }, { name: 'Whatsapp', type: 'phone' }], accountAttributes)).toEqual({});
    const onlyText: SalesforceField[] = [
      { name: 'Email', type: 'email' },
      { name: 'Mobile__c', label: 'Mobile', type: 'string' },
    ];
    expect(suggestMapping(onlyText, accountAttributes)).toEqual({ EMAIL: 'Email' });
    for (const [fields, attributes] of [[contactFields, accountAttributes], [leadFields, brevoAttributes]] as const) {
      const suggested = suggestMapping(fields, attributes);
      expect(validateMapping(suggested, fields, attributes)).toEqual([]);
      expect(new Set(Object.values(suggested)).size).toBe(Object.values(suggested).length);
    }
  });
});
