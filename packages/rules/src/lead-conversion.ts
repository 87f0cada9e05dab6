import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { IntegrationStatus, type IntegrationKind } from './statuses.ts';

/**
 * Converted leads (issue 16 §5). When Salesforce converts a Lead, the Lead
 * becomes read-only and a Contact carries on (`ConvertedContactId`). The Brevo
 * contact linked to the lead stays one contact (R14, R15: never duplicated,
 * never deleted): its link follows the new Contact when a Contacts integration
 * of the same account and Salesforce org covers it; otherwise it stops syncing,
 * with a record error saying so.
 */

/** The lead's conversion fields, as a query or a change event gives them. */
export interface LeadConversionFields {
  readonly [field: string]: unknown;
  IsConverted?: unknown;
  ConvertedContactId?: unknown;
}

/** The fields the sync reads of each lead to see a conversion. */
export const LEAD_CONVERSION_FIELDS = ['IsConverted', 'ConvertedContactId'] as const;

/** Another integration of the same account and Salesforce org. */
export interface SiblingIntegration {
  id: string;
  kind: IntegrationKind;
  status: IntegrationStatus;
}

/** Salesforce's key prefix of Lead ids: a Brevo contact whose ext_id starts so is (or was) a lead's. */
export const LEAD_ID_PREFIX = '00Q';

/** The record error of a converted lead whose Brevo contact no longer syncs. */
export function convertedNotSyncedIssue(contactId: string): RuleIssue {
  return createIssue(RuleCode.LeadConvertedNotSynced, 'IsConverted', { contactId });
}

/** The Contact a lead was converted to, or null while it is not converted. */
export function convertedContactOf(lead: LeadConversionFields): string | null {
  return lead.IsConverted === true && typeof lead.ConvertedContactId === 'string' && lead.ConvertedContactId !== '' ? lead.ConvertedContactId : null;
}

/**
 * The Contacts integration that takes over converted leads' Brevo contacts: one
 * that was activated (a draft syncs nothing, and may never); a paused one still
 * takes them, and syncs them when resumed. The oldest (first listed) when there
 * are several, so every worker picks the same one.
 */
export function coveringContactsIntegration(siblings: readonly SiblingIntegration[]): string | null {
  return siblings.find((sibling) => sibling.kind === 'salesforce-contacts' && sibling.status !== IntegrationStatus.Draft)?.id ?? null;
}

export type LeadConversionDecision =
  /** Not converted: the lead syncs as any lead. */
  | { readonly action: 'none' }
  /** Converted and not linked: nothing to create (the Contact is the record now; a new Brevo contact for the lead would be a second one). */
  | { readonly action: 'ignore' }
  /** The link moves to the Contact, in the Contacts integration. */
  | { readonly action: 'follow'; readonly contactId: string; readonly integrationId: string; readonly issue: RuleIssue }
  /** No Contacts integration covers it: the link stays, and nothing syncs any more either way. */
  | { readonly action: 'stop'; readonly contactId: string; readonly issue: RuleIssue };

/** What happens to a lead's Brevo contact when the lead is converted. */
export function decideLeadConversion(lead: LeadConversionFields, linked: boolean, siblings: readonly SiblingIntegration[]): LeadConversionDecision {
  const contactId = convertedContactOf(lead);
  if (contactId === null) return { action: 'none' };
  if (!linked) return { action: 'ignore' };
  const integrationId = coveringContactsIntegration(siblings);
  if (integrationId === null) return { action: 'stop', contactId, issue: convertedNotSyncedIssue(contactId) };
  return { action: 'follow', contactId, integrationId, issue: createIssue(RuleCode.LeadConvertedFollowed, 'IsConverted', { contactId }) };
}

/**
 * A Contacts integration creating `contactId` finds its email on a Brevo contact
 * whose ext_id is a lead's (R15 would call it a duplicate): the contact is that
 * lead's, and the Contact takes it over, when the lead was converted to this
 * very Contact. Any other owner stays a duplicate, never a merge.
 */
export function isConvertedInto(lead: LeadConversionFields, contactId: string): boolean {
  return convertedContactOf(lead) === contactId;
}
