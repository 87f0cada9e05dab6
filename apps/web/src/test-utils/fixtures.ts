import type { BrevoAttribute, SalesforceField } from '@contact-sync/rules';
import type { Integration, MappingOptionsResponse, Preview, RecordError, RecordErrorGroup, RecordErrorPage, Run } from '../api/types.ts';

export const INTEGRATION_ID = '665f1c2b9a1e4b0012345678';

export function makeIntegration(overrides: Partial<Integration> = {}): Integration {
  return {
    id: INTEGRATION_ID,
    kind: 'salesforce-contacts',
    name: 'Acme contacts',
    status: 'draft',
    statusReason: null,
    nextStep: 'connect',
    salesforce: null,
    consent: null,
    mapping: null,
    list: null,
    activatedAt: null,
    lastSyncAt: null,
    quota: { used: 1200, limit: 100_000, month: '2026-11' },
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    ...overrides,
  };
}

export const CONNECTED = {
  username: 'demo@acme.test',
  displayName: 'Demo User',
  orgId: '00D000000000001EAA',
  userId: '005000000000001AAA',
  instanceUrl: 'http://localhost:4010',
  connectedAt: '2026-11-27T10:01:00.000Z',
};

export const SALESFORCE_FIELDS: SalesforceField[] = [
  { name: 'Id', label: 'Contact ID', type: 'id' },
  { name: 'Email', label: 'Email', type: 'email', length: 80, filterable: true },
  { name: 'FirstName', label: 'First Name', type: 'string', length: 40 },
  { name: 'LastName', label: 'Last Name', type: 'string', length: 80, filterable: true },
  { name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40 },
  { name: 'Birthdate', label: 'Birthdate', type: 'date', filterable: true },
  { name: 'Full_Name__c', label: 'Full Name', type: 'string', calculated: true, length: 255 },
  { name: 'HasOptedOutOfEmail', label: 'Email Opt Out', type: 'boolean' },
  {
    name: 'LeadSource',
    label: 'Lead Source',
    type: 'picklist',
    filterable: true,
    picklistValues: [
      { value: 'Web', label: 'Web', active: true },
      { value: 'Phone Inquiry', label: 'Phone Inquiry', active: true },
      { value: 'Other', label: 'Other', active: true },
    ],
  },
  { name: 'Region__c', label: 'Region', type: 'combobox', length: 255 },
  {
    name: 'Interests__c',
    label: 'Interests',
    type: 'multipicklist',
    picklistValues: [
      { value: 'Golf', label: 'Golf', active: true },
      { value: 'Chess', label: 'Chess', active: true },
      { value: 'Sailing', label: 'Sailing', active: true },
    ],
  },
];

export const BREVO_ATTRIBUTES: BrevoAttribute[] = [
  { name: 'EMAIL', category: 'normal', type: 'text' },
  { name: 'SMS', category: 'normal', type: 'text' },
  { name: 'FIRSTNAME', category: 'normal', type: 'text' },
  { name: 'LASTNAME', category: 'normal', type: 'text' },
  { name: 'BIRTHDAY', category: 'normal', type: 'date' },
  { name: 'NEWSLETTER', category: 'normal', type: 'boolean' },
  {
    name: 'SOURCE',
    category: 'category',
    type: 'category',
    enumeration: [
      { value: 1, label: 'web' },
      { value: 2, label: 'Phone inquiry' },
      { value: 3, label: 'Event' },
    ],
  },
  { name: 'HOBBIES', category: 'normal', type: 'multiple-choice', multiCategoryOptions: ['chess', 'Golf', 'Cooking; baking'] },
  { name: 'ORDERS_TOTAL', category: 'calculated' },
];

export function makeMappingInputs(mapping: Record<string, string> | null = null): MappingOptionsResponse {
  return { salesforceObject: 'Contact', salesforceFields: SALESFORCE_FIELDS, brevoAttributes: BREVO_ATTRIBUTES, mapping, mappingSettings: {} };
}

export function makePreview(overrides: Partial<Preview> = {}): Preview {
  return {
    read: 22,
    toCreate: 12,
    toUpdate: 3,
    toDelete: 0,
    unchanged: 5,
    noEmailOrSms: 0,
    toLeave: 0,
    notMatching: 0,
    rejectedRecords: 2,
    rejected: [{ code: 'phone_digits_out_of_range', messageKey: 'rules.phone.digitsOutOfRange', params: { min: 6, max: 16, digits: 3 }, count: 2 }],
    samples: { create: [], update: [], rejected: [] },
    operations: 17,
    quotaShare: 0.00017,
    exceedsQuota: false,
    quota: { used: 1200, limit: 100_000, month: '2026-11' },
    ...overrides,
  };
}

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run1',
    direction: 'salesforce_to_brevo',
    initialLoad: true,
    trigger: 'activation',
    status: 'succeeded',
    startedAt: '2026-11-27T10:05:00.000Z',
    finishedAt: '2026-11-27T10:05:04.000Z',
    counts: { read: 20, created: 12, updated: 3, deleted: 0, skipped: 5, noEmailOrSms: 0, rejected: 2, failed: 0, leftList: 0, notMatching: 0 },
    operations: 15,
    progress: { done: 20, total: 20 },
    outcome: null,
    ...overrides,
  };
}

export function makeRecordError(overrides: Partial<RecordError> = {}): RecordError {
  return {
    id: 'err1',
    runId: 'run1',
    direction: 'salesforce_to_brevo',
    object: 'Contact',
    salesforceId: '003000000000042AAA',
    brevoId: null,
    field: 'MobilePhone',
    code: 'phone_digits_out_of_range',
    rule: 'R10',
    messageKey: 'rules.phone.digitsOutOfRange',
    params: { field: 'MobilePhone', min: 6, max: 16, digits: 3 },
    severity: 'error',
    fixHintKey: 'rules.fix.phone_digits_out_of_range',
    retryable: false,
    occurredAt: '2026-11-27T10:05:03.000Z',
    contact: { name: 'Penny Shortphone', email: 'penny.shortphone@example.com' },
    salesforceUrl: 'http://localhost:4010/003000000000042AAA',
    ...overrides,
  };
}

/** The groups the BFF would compute for `errors` (one per code, each record once). */
export function groupsOf(errors: readonly RecordError[]): RecordErrorGroup[] {
  const groups = new Map<string, RecordErrorGroup>();
  for (const error of errors) {
    const group = groups.get(error.code);
    if (group) group.count += 1;
    else groups.set(error.code, { direction: error.direction, code: error.code, severity: error.severity, count: 1, messageKey: error.messageKey, params: error.params, fixHintKey: error.fixHintKey, retryable: error.retryable });
  }
  return [...groups.values()];
}

export function makeRecordErrorPage(errors: RecordError[] = [], overrides: Partial<RecordErrorPage> = {}): RecordErrorPage {
  return { recordErrors: errors, total: errors.length, offset: 0, limit: 25, groups: groupsOf(errors), truncated: false, ...overrides };
}
