import type { BrevoAttribute, SalesforceField } from '../field-types.ts';

/** A trimmed Lead describe, with the real lengths (FirstName 40, LastName 80). */
export const leadFields: readonly SalesforceField[] = [
  { name: 'Id', label: 'Lead ID', type: 'id', length: 18, calculated: false, createable: false, updateable: false, nillable: false },
  { name: 'FirstName', label: 'First Name', type: 'string', length: 40, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'LastName', label: 'Last Name', type: 'string', length: 80, calculated: false, createable: true, updateable: true, nillable: false },
  { name: 'Company', label: 'Company', type: 'string', length: 255, calculated: false, createable: true, updateable: true, nillable: false },
  { name: 'Email', label: 'Email', type: 'email', length: 80, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Phone', label: 'Phone', type: 'phone', length: 40, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Description', label: 'Description', type: 'textarea', length: 32000, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Website', label: 'Website', type: 'url', length: 255, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Birthdate__c', label: 'Birthdate', type: 'date', length: 0, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'LastVisit__c', label: 'Last visit', type: 'datetime', length: 0, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'AnnualRevenue', label: 'Annual Revenue', type: 'currency', length: 0, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'NumberOfEmployees', label: 'Employees', type: 'int', length: 0, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Score__c', label: 'Score', type: 'double', length: 0, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Probability__c', label: 'Probability', type: 'percent', length: 0, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Nickname__c', label: 'Nickname', type: 'string', length: 20, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'FullName__c', label: 'Full name (formula)', type: 'string', length: 1300, calculated: true, createable: false, updateable: false, nillable: true },
  { name: 'HasOptedOutOfEmail', label: 'Email Opt Out', type: 'boolean', length: 0, calculated: false, createable: true, updateable: true, nillable: false },
  { name: 'LeadSource', label: 'Lead Source', type: 'picklist', length: 255, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Interests__c', label: 'Interests', type: 'multipicklist', length: 4099, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'Salutation2__c', label: 'Salutation', type: 'combobox', length: 40, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'OwnerId', label: 'Owner ID', type: 'reference', length: 18, calculated: false, createable: true, updateable: true, nillable: false },
  { name: 'Address', label: 'Address', type: 'address', length: 0, calculated: false, createable: false, updateable: false, nillable: true },
  { name: 'CallTime__c', label: 'Call time', type: 'time', length: 0, calculated: false, createable: true, updateable: true, nillable: true },
  { name: 'CreatedDate', label: 'Created Date', type: 'datetime', length: 0, calculated: false, createable: false, updateable: false, nillable: false },
];

export const fieldsByName: ReadonlyMap<string, SalesforceField> = new Map(leadFields.map((f) => [f.name, f]));

export function field(name: string): SalesforceField {
  const found = fieldsByName.get(name);
  if (!found) throw new Error(`no fixture field ${name}`);
  return found;
}

/** As Brevo's GET /v3/contacts/attributes lists them (EMAIL and SMS deliberately last or missing). */
export const brevoAttributes: readonly BrevoAttribute[] = [
  { name: 'FIRSTNAME', category: 'normal', type: 'text' },
  { name: 'LASTNAME', category: 'normal', type: 'text' },
  { name: 'BIRTHDAY', category: 'normal', type: 'date' },
  { name: 'REVENUE', category: 'normal', type: 'float' },
  { name: 'NOTES', category: 'normal' },
  { name: 'PHONE_TEXT', category: 'normal', type: 'text' },
  { name: 'OPT_IN', category: 'normal', type: 'boolean' },
  { name: 'GENDER', category: 'category', type: 'category' },
  { name: 'HOBBIES', category: 'normal', type: 'multiple-choice', multiCategoryOptions: ['Chess', 'Golf'] },
  { name: 'TOTAL_ORDERS', category: 'calculated' },
  { name: 'ACCOUNT_TOTAL', category: 'global' },
  { name: 'ORDER_ID', category: 'transactional', type: 'id' },
  { name: 'OWNER', category: 'normal', type: 'user' },
  { name: 'SMS', category: 'normal', type: 'text' },
  // Brevo lists it as a normal text attribute; it holds the link (R14).
  { name: 'EXT_ID', category: 'normal', type: 'text' },
];
