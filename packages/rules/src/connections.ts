import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/** R3: one Salesforce account (org + user) may back at most this many integrations, leads and contacts combined. */
export const MAX_INTEGRATIONS_PER_SALESFORCE_USER = 5;

/**
 * The identity R3 counts by. Use the 18-character ids Salesforce's identity
 * service returns; a 15-character id of the same record would not match.
 */
export function salesforceAccountKey(orgId: string, userId: string): string {
  return `${orgId}:${userId}`;
}

/**
 * R3: `existingCount` is how many *other* integrations of any state and kind
 * already use this Salesforce account (deleted ones do not count; reconnecting
 * an integration to the account it already uses must not count itself).
 */
export function checkConnectionSlots(existingCount: number): RuleIssue | null {
  return existingCount < MAX_INTEGRATIONS_PER_SALESFORCE_USER
    ? null
    : createIssue(RuleCode.ConnectionLimitReached, 'salesforceAccount', { max: MAX_INTEGRATIONS_PER_SALESFORCE_USER });
}
