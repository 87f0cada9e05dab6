import { f, type FieldDef, type StoredRecord } from './fields.ts';
import { KEY_PREFIX } from './ids.ts';

export interface ObjectDef {
  name: SObjectName;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  /** Lower-cased name → field: SOQL and REST field names are case-insensitive. */
  byLowerName: Map<string, FieldDef>;
}

export type SObjectName = 'Contact' | 'Lead' | 'Case' | 'Account';
export const SOBJECT_NAMES: readonly SObjectName[] = ['Contact', 'Lead', 'Case', 'Account'];

const DAY_MS = 86_400_000;

function fullName(record: StoredRecord): string {
  return [record.FirstName, record.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
}

/** Whole days since a datetime field, as the formula `TODAY() - DATEVALUE(x)` gives. */
function daysSince(value: unknown, now: number): number | null {
  if (typeof value !== 'number') return null;
  return Math.floor(now / DAY_MS) - Math.floor(value / DAY_MS);
}

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];
const INTERESTS = ['Newsletter', 'Events', 'Product Updates', 'Webinars', 'Offers'];
const CHANNELS = ['Email', 'SMS', 'Phone', 'None'];

function address(prefix: '' | 'Mailing'): FieldDef[] {
  const p = prefix;
  const l = prefix ? 'Mailing ' : '';
  return [
    f.textarea(`${p}Street`, `${l}Street`, 255),
    f.string(`${p}City`, `${l}City`, 40),
    f.string(`${p}State`, `${l}State/Province`, 80),
    f.string(`${p}PostalCode`, `${l}Zip/Postal Code`, 20),
    f.string(`${p}Country`, `${l}Country`, 80),
  ];
}

const contactFields: FieldDef[] = [
  f.id(),
  f.isDeleted(),
  f.reference('MasterRecordId', 'Master Record ID', ['Contact'], 'MasterRecord', { createable: false, updateable: false }),
  f.reference('AccountId', 'Account ID', ['Account'], 'Account'),
  f.string('LastName', 'Last Name', 80, { nillable: false, required: true }),
  f.string('FirstName', 'First Name', 40),
  f.picklist('Salutation', 'Salutation', SALUTATIONS),
  f.string('Name', 'Full Name', 121, { createable: false, updateable: false, nameField: true }),
  ...address('Mailing'),
  f.phone('Phone', 'Business Phone'),
  f.phone('Fax', 'Business Fax'),
  f.phone('MobilePhone', 'Mobile Phone'),
  f.phone('HomePhone', 'Home Phone'),
  f.email('Email', 'Email'),
  f.string('Title', 'Title', 128),
  f.string('Department', 'Department', 80),
  f.picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
  f.date('Birthdate', 'Birthdate'),
  f.textarea('Description', 'Contact Description', 32000),
  f.reference('OwnerId', 'Owner ID', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true }),
  f.boolean('HasOptedOutOfEmail', 'Email Opt Out'),
  f.boolean('DoNotCall', 'Do Not Call'),
  ...f.audit(),
  f.date('LastActivityDate', 'Last Activity', { createable: false, updateable: false }),
  f.datetime('EmailBouncedDate', 'Email Bounced Date'),
  f.formula('Full_Name__c', 'Full Name (formula)', 'string', 'FirstName & " " & LastName', fullName),
  f.formula(
    'Days_Since_Contact__c',
    'Days Since Contact',
    'double',
    'TODAY() - DATEVALUE(Last_Contacted__c)',
    (r, now) => daysSince(r.Last_Contacted__c, now),
    { precision: 18, scale: 0 },
  ),
  f.datetime('Last_Contacted__c', 'Last Contacted'),
  f.double('Score__c', 'Score', 18, 2),
  f.currency('Annual_Spend__c', 'Annual Spend', 16, 2),
  f.percent('Discount__c', 'Discount', 5, 2),
  // Restricted, as Salesforce makes a new custom multi-select picklist by default.
  f.multipicklist('Interests__c', 'Interests', INTERESTS, { restrictedPicklist: true }),
  f.picklist('Preferred_Channel__c', 'Preferred Channel', CHANNELS, { restrictedPicklist: true }),
  f.boolean('Newsletter__c', 'Newsletter'),
  f.textarea('Notes__c', 'Notes', 32768),
  f.string('Loyalty_Number__c', 'Loyalty Number', 20, { externalId: true, unique: true }),
  f.int('Visits__c', 'Visits', 9),
];

const leadFields: FieldDef[] = [
  f.id(),
  f.isDeleted(),
  f.reference('MasterRecordId', 'Master Record ID', ['Lead'], 'MasterRecord', { createable: false, updateable: false }),
  f.string('LastName', 'Last Name', 80, { nillable: false, required: true }),
  f.string('FirstName', 'First Name', 40),
  f.picklist('Salutation', 'Salutation', SALUTATIONS),
  f.string('Name', 'Full Name', 121, { createable: false, updateable: false, nameField: true }),
  f.string('Title', 'Title', 128),
  f.string('Company', 'Company', 255, { nillable: false, required: true }),
  ...address(''),
  f.phone('Phone', 'Phone'),
  f.phone('MobilePhone', 'Mobile Phone'),
  f.email('Email', 'Email'),
  f.url('Website', 'Website'),
  f.textarea('Description', 'Description', 32000),
  f.picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
  f.picklist('Status', 'Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], {
    nillable: false,
    defaultedOnCreate: true,
    defaultPicklistValue: 'Open - Not Contacted',
  }),
  f.picklist('Industry', 'Industry', ['Agriculture', 'Banking', 'Education', 'Healthcare', 'Retail', 'Technology']),
  f.picklist('Rating', 'Rating', ['Hot', 'Warm', 'Cold']),
  f.currency('AnnualRevenue', 'Annual Revenue', 18, 0),
  f.int('NumberOfEmployees', 'Employees', 8),
  f.reference('OwnerId', 'Owner ID', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true }),
  f.boolean('HasOptedOutOfEmail', 'Email Opt Out'),
  // Set by lead conversion (org/convert.ts), never by a write.
  f.boolean('IsConverted', 'Converted', { createable: false, updateable: false }),
  f.date('ConvertedDate', 'Converted Date', { createable: false, updateable: false }),
  f.reference('ConvertedAccountId', 'Converted Account ID', ['Account'], 'ConvertedAccount', { createable: false, updateable: false }),
  f.reference('ConvertedContactId', 'Converted Contact ID', ['Contact'], 'ConvertedContact', { createable: false, updateable: false }),
  f.reference('ConvertedOpportunityId', 'Converted Opportunity ID', ['Opportunity'], 'ConvertedOpportunity', {
    createable: false,
    updateable: false,
  }),
  ...f.audit(),
  f.formula('Full_Name__c', 'Full Name (formula)', 'string', 'FirstName & " " & LastName', fullName),
  f.formula(
    'Days_Since_Contact__c',
    'Days Since Contact',
    'double',
    'TODAY() - DATEVALUE(Last_Contacted__c)',
    (r, now) => daysSince(r.Last_Contacted__c, now),
    { precision: 18, scale: 0 },
  ),
  f.datetime('Last_Contacted__c', 'Last Contacted'),
  f.date('Birthdate__c', 'Birthdate'),
  f.double('Score__c', 'Score', 18, 2),
  f.currency('Budget__c', 'Budget', 16, 2),
  f.percent('Probability__c', 'Probability', 5, 2),
  // Restricted, as Salesforce makes a new custom multi-select picklist by default.
  f.multipicklist('Interests__c', 'Interests', INTERESTS, { restrictedPicklist: true }),
  f.boolean('Newsletter__c', 'Newsletter'),
  f.textarea('Notes__c', 'Notes', 32768),
];

const caseFields: FieldDef[] = [
  f.id(),
  f.isDeleted(),
  f.string('CaseNumber', 'Case Number', 30, {
    createable: false,
    updateable: false,
    nillable: false,
    autoNumber: true,
    defaultedOnCreate: true,
    nameField: true,
  }),
  f.reference('ContactId', 'Contact ID', ['Contact'], 'Contact'),
  f.reference('AccountId', 'Account ID', ['Account'], 'Account'),
  f.string('Subject', 'Subject', 255),
  f.textarea('Description', 'Description', 32000),
  f.picklist('Status', 'Status', ['New', 'Working', 'Escalated', 'Closed'], {
    defaultedOnCreate: true,
    defaultPicklistValue: 'New',
  }),
  f.picklist('Priority', 'Priority', ['High', 'Medium', 'Low'], { defaultedOnCreate: true, defaultPicklistValue: 'Medium' }),
  f.picklist('Origin', 'Case Origin', ['Phone', 'Email', 'Web']),
  f.boolean('IsClosed', 'Closed', { createable: false, updateable: false }),
  f.reference('OwnerId', 'Owner ID', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true }),
  ...f.audit(),
];

/** Only what lead conversion needs: the Account it creates or is given. */
const accountFields: FieldDef[] = [
  f.id(),
  f.isDeleted(),
  f.string('Name', 'Account Name', 255, { nillable: false, required: true, nameField: true }),
  f.reference('OwnerId', 'Owner ID', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true }),
  ...f.audit(),
];

function objectDef(name: SObjectName, label: string, labelPlural: string, fields: FieldDef[]): ObjectDef {
  return {
    name,
    label,
    labelPlural,
    keyPrefix: KEY_PREFIX[name],
    fields,
    byLowerName: new Map(fields.map((fd) => [fd.name.toLowerCase(), fd])),
  };
}

export const OBJECTS: Record<SObjectName, ObjectDef> = {
  Contact: objectDef('Contact', 'Contact', 'Contacts', contactFields),
  Lead: objectDef('Lead', 'Lead', 'Leads', leadFields),
  Case: objectDef('Case', 'Case', 'Cases', caseFields),
  Account: objectDef('Account', 'Account', 'Accounts', accountFields),
};

/** Object names are case-insensitive in URLs and SOQL. */
export function findObject(name: string): ObjectDef | undefined {
  const lower = name.toLowerCase();
  return SOBJECT_NAMES.map((n) => OBJECTS[n]).find((o) => o.name.toLowerCase() === lower);
}
