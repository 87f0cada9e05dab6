import { recordError, RecordFailure } from '../errors.ts';
import type { StoredRecord } from './fields.ts';
import { normaliseId } from './ids.ts';
import { OBJECTS } from './metadata.ts';
import type { Org } from './org.ts';
import { findWritable, prepareCreate } from './writes.ts';

/**
 * Lead conversion, as the SOAP API's `convertLead()` and the lead record page's
 * "Convert" do it: the Account and Contact given are used, or new ones created
 * from the lead (standard field mapping); the lead becomes read-only with
 * `IsConverted`, `ConvertedDate`, `ConvertedAccountId`, `ConvertedContactId` and
 * its `Status` set to the converted status. The sandbox has no Opportunity
 * object, so no opportunity is ever created (`opportunityId` is null, as with
 * `doNotCreateOpportunity`).
 */

/** One `LeadConvert` of the call, as jsforce sends it (API field names). */
export interface LeadConvertRequest {
  leadId: string;
  convertedStatus: string;
  accountId?: string | null;
  contactId?: string | null;
  overwriteLeadSource?: boolean;
  ownerId?: string | null;
}

export interface LeadConvertResult {
  leadId: string;
  accountId: string;
  contactId: string;
  opportunityId: null;
}

/** Lead field → Contact field: Salesforce's standard mapping of a conversion (custom fields need an admin's mapping, none here). */
const CONTACT_FIELDS_OF_LEAD: Readonly<Record<string, string>> = {
  Salutation: 'Salutation',
  FirstName: 'FirstName',
  LastName: 'LastName',
  Title: 'Title',
  Email: 'Email',
  Phone: 'Phone',
  MobilePhone: 'MobilePhone',
  Street: 'MailingStreet',
  City: 'MailingCity',
  State: 'MailingState',
  PostalCode: 'MailingPostalCode',
  Country: 'MailingCountry',
  LeadSource: 'LeadSource',
  Description: 'Description',
  HasOptedOutOfEmail: 'HasOptedOutOfEmail',
};

/** The lead statuses that mean "converted" (the Status picklist's converted values). */
export const CONVERTED_STATUSES: readonly string[] = ['Closed - Converted'];

const LEAD = OBJECTS.Lead;

function liveRow(org: Org, object: 'Account' | 'Contact', raw: string): StoredRecord {
  const id = normaliseId(raw);
  const row = id ? org.tables[object].get(id) : undefined;
  if (!id || id.slice(0, 3) !== OBJECTS[object].keyPrefix || !row || row.IsDeleted) {
    throw new RecordFailure([recordError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${raw}`, [object === 'Account' ? 'accountId' : 'contactId'])]);
  }
  return row;
}

/**
 * Converts one lead (inside the caller's change transaction: a conversion is
 * one commit, whose events are the Account and Contact created and the Lead
 * updated). Throws a RecordFailure, changing nothing, when the lead cannot be.
 */
export function convertLead(org: Org, request: LeadConvertRequest, userId: string): LeadConvertResult {
  const lead = findWritable(org, LEAD, request.leadId);
  if (lead.IsConverted === true) throw new RecordFailure([recordError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [])]);
  if (!CONVERTED_STATUSES.includes(request.convertedStatus)) {
    throw new RecordFailure([recordError('INVALID_STATUS', `invalid convertedStatus: ${request.convertedStatus}`, ['convertedStatus'])]);
  }
  const account = request.accountId ? liveRow(org, 'Account', request.accountId) : undefined;
  const contact = request.contactId ? liveRow(org, 'Contact', request.contactId) : undefined;
  if (contact && !account) {
    throw new RecordFailure([recordError('REQUIRED_FIELD_MISSING', 'accountId must be specified if contactId is not null', ['accountId'])]);
  }
  const ownerId = request.ownerId ? normaliseId(request.ownerId) ?? userId : userId;

  const accountId = account?.Id ?? prepareCreate(org, OBJECTS.Account, { Name: lead.Company, OwnerId: ownerId }, userId).apply().Id;
  let contactId: string;
  if (contact) {
    contactId = contact.Id;
  } else {
    const values: Record<string, unknown> = { AccountId: accountId, OwnerId: ownerId };
    for (const [from, to] of Object.entries(CONTACT_FIELDS_OF_LEAD)) if (lead[from] !== undefined) values[to] = lead[from];
    contactId = prepareCreate(org, OBJECTS.Contact, values, userId).apply().Id;
  }

  const stamp = org.nextStamp();
  const before = { Status: lead.Status, LastModifiedById: lead.LastModifiedById };
  Object.assign(lead, {
    IsConverted: true,
    ConvertedDate: new Date(stamp).toISOString().slice(0, 10),
    ConvertedAccountId: accountId,
    ConvertedContactId: contactId,
    Status: request.convertedStatus,
    LastModifiedDate: stamp,
    LastModifiedById: userId,
    SystemModstamp: stamp,
  });
  org.tables.Lead.touched(lead);
  const changed = ['IsConverted', 'ConvertedDate', 'ConvertedAccountId', 'ConvertedContactId'];
  if (before.Status !== lead.Status) changed.push('Status');
  if (before.LastModifiedById !== userId) changed.push('LastModifiedById');
  org.changes.record('Lead', 'UPDATE', lead, [...changed, 'LastModifiedDate']);
  return { leadId: lead.Id, accountId, contactId, opportunityId: null };
}
