// A 300-field Salesforce org and the Brevo account's attributes, for timing
// the mapping rules the form runs on every change.
import type { BrevoAttribute, SalesforceField } from '@contact-sync/rules';

/** Field types in roughly the proportions of a large customised org (many text and picklist fields, a few formulas). */
const TYPE_CYCLE: { type: string; length: number; calculated?: boolean }[] = [
  { type: 'string', length: 255 },
  { type: 'string', length: 80 },
  { type: 'picklist', length: 255 },
  { type: 'email', length: 80 },
  { type: 'phone', length: 40 },
  { type: 'date', length: 0 },
  { type: 'datetime', length: 0 },
  { type: 'double', length: 0 },
  { type: 'currency', length: 0 },
  { type: 'percent', length: 0 },
  { type: 'boolean', length: 0 },
  { type: 'textarea', length: 32000 },
  { type: 'string', length: 1300, calculated: true },
  { type: 'multipicklist', length: 4099 },
  { type: 'reference', length: 18 },
  { type: 'url', length: 255 },
];

export function salesforceOrgFields(count = 300): SalesforceField[] {
  const standard: SalesforceField[] = [
    { name: 'Id', label: 'Contact ID', type: 'id', length: 18, calculated: false },
    { name: 'FirstName', label: 'First Name', type: 'string', length: 40, calculated: false },
    { name: 'LastName', label: 'Last Name', type: 'string', length: 80, calculated: false },
    { name: 'Email', label: 'Email', type: 'email', length: 80, calculated: false },
    { name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40, calculated: false },
    { name: 'Birthdate', label: 'Birthdate', type: 'date', length: 0, calculated: false },
  ];
  const fields = [...standard];
  for (let i = 0; fields.length < count; i += 1) {
    const shape = TYPE_CYCLE[i % TYPE_CYCLE.length]!;
    fields.push({ name: `Custom_${i}__c`, label: `Custom field ${i}`, type: shape.type, length: shape.length, calculated: shape.calculated ?? false });
  }
  return fields;
}

/** The Brevo sandbox's seeded attributes (apps/sandbox-brevo README) plus custom ones of each mappable type. */
export function brevoAccountAttributes(customPerType = 8): BrevoAttribute[] {
  const attributes: BrevoAttribute[] = [
    { name: 'EMAIL', category: 'normal', type: 'text' },
    { name: 'SMS', category: 'normal', type: 'text' },
    { name: 'FIRSTNAME', category: 'normal', type: 'text' },
    { name: 'LASTNAME', category: 'normal', type: 'text' },
    { name: 'WHATSAPP', category: 'normal', type: 'text' },
    { name: 'LANDLINE_NUMBER', category: 'normal', type: 'text' },
    { name: 'EXT_ID', category: 'normal', type: 'text' },
    { name: 'OPT_IN', category: 'normal', type: 'boolean' },
    { name: 'DOUBLE_OPT-IN', category: 'category', type: 'category' },
    { name: 'LANGUAGE', category: 'category', type: 'category' },
    { name: 'COMPANY', category: 'normal', type: 'text' },
    { name: 'JOB_TITLE', category: 'normal', type: 'text' },
    { name: 'CITY', category: 'normal', type: 'text' },
    { name: 'BIRTHDAY', category: 'normal', type: 'date' },
    { name: 'LAST_PURCHASE_DATE', category: 'normal', type: 'date' },
    { name: 'SCORE', category: 'normal', type: 'float' },
    { name: 'NEWSLETTER', category: 'normal', type: 'boolean' },
    { name: 'ORDERS_LAST_30_DAYS', category: 'calculated' },
  ];
  for (const type of ['text', 'date', 'float']) {
    for (let i = 0; i < customPerType; i += 1) attributes.push({ name: `CUSTOM_${type.toUpperCase()}_${i}`, category: 'normal', type });
  }
  return attributes;
}
