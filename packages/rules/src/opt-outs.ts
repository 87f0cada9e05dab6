import { z } from 'zod';
import { RuleCode } from './codes.ts';
import { isWritableField } from './field-directions.ts';
import type { SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/** Salesforce's email opt-out checkbox, on Contact and Lead alike. */
export const OPT_OUT_FIELD = 'HasOptedOutOfEmail';

/**
 * Opt-outs follow the contact (issue 16 §3), chosen per integration:
 * - `enabled`: a Brevo blocklisting or unsubscribe sets `HasOptedOutOfEmail`, and the flag set in
 *   Salesforce blocklists the contact's email in Brevo;
 * - `resubscribeClears`: a re-subscription in Brevo (no longer blocklisted) clears the Salesforce flag.
 * Clearing the flag in Salesforce never lifts a Brevo blocklisting: the blocklisting is the contact's
 * own consent record, and only the contact (or the marketer, in Brevo) may lift it.
 */
export const optOutSettingsSchema = z.strictObject({
  enabled: z.boolean({ error: RuleCode.InvalidInput }),
  resubscribeClears: z.boolean({ error: RuleCode.InvalidInput }),
});
export type OptOutSettings = z.infer<typeof optOutSettingsSchema>;

/** On by default (when the object has the field); a re-subscription clears nothing unless asked. */
export const DEFAULT_OPT_OUT_SETTINGS: OptOutSettings = { enabled: true, resubscribeClears: false };

/** The object's opt-out checkbox when the integration may read and write it (describe), else null. */
export function optOutFieldOf(fields: Iterable<SalesforceField> | ReadonlyMap<string, SalesforceField>): SalesforceField | null {
  const field = fields instanceof Map ? fields.get(OPT_OUT_FIELD) : [...(fields as Iterable<SalesforceField>)].find((candidate) => candidate.name === OPT_OUT_FIELD);
  if (!field || field.type !== 'boolean' || !isWritableField(field)) return null;
  return field;
}

/** The settings a sync follows: the user's (or the defaults), and off whatever they say when the object has no usable field. */
export function effectiveOptOuts(settings: OptOutSettings | null | undefined, fields: Iterable<SalesforceField> | ReadonlyMap<string, SalesforceField>): OptOutSettings {
  const chosen = settings ?? DEFAULT_OPT_OUT_SETTINGS;
  return optOutFieldOf(fields) ? chosen : { enabled: false, resubscribeClears: false };
}

/**
 * What both sides held when the opt-out last synced, kept with the link: `optedOut` mirrors the
 * Salesforce flag (absent: not set), `emailBlacklisted` Brevo's blocklisting as last seen (absent: not
 * known). Each direction acts on a change of its own side only, so that neither side's later edit of
 * something else re-applies an opt-out the other side has since lifted.
 */
export interface SyncedOptOut {
  readonly optedOut?: true;
  readonly emailBlacklisted?: boolean;
}

function withoutOptedOut(synced: SyncedOptOut): SyncedOptOut {
  return synced.emailBlacklisted === undefined ? {} : { emailBlacklisted: synced.emailBlacklisted };
}

export interface SalesforceOptOutDecision {
  /** What the link keeps from now on. */
  readonly synced: SyncedOptOut;
  /** Blocklist the contact's email in Brevo (`emailBlacklisted: true`). Never false: nothing here un-blocklists. */
  readonly blocklist: boolean;
  /** The flag was cleared in Salesforce while Brevo keeps the contact blocklisted: the user is told why. */
  readonly warning?: RuleIssue;
}

/**
 * Salesforce → Brevo: the record's `HasOptedOutOfEmail` against what the link knows. null: nothing
 * to do (the flag is not in the change, or it did not change since the last sync).
 */
export function decideOptOutFromSalesforce(flag: unknown, synced: SyncedOptOut): SalesforceOptOutDecision | null {
  if (flag === true) {
    if (synced.optedOut === true) return null;
    return { synced: { optedOut: true, emailBlacklisted: true }, blocklist: synced.emailBlacklisted !== true };
  }
  if (flag === false) {
    if (synced.optedOut !== true) return null;
    const kept = synced.emailBlacklisted === true ? createIssue(RuleCode.OptOutKeptInBrevo, OPT_OUT_FIELD) : undefined;
    return { synced: withoutOptedOut(synced), blocklist: false, ...(kept ? { warning: kept } : {}) };
  }
  return null;
}

export interface BrevoOptOutDecision {
  readonly synced: SyncedOptOut;
  /**
   * The value `HasOptedOutOfEmail` must hold; absent: the field is left as it is. The caller writes it only
   * when Salesforce holds another value (a write that changes nothing is not made, R16).
   */
  readonly write?: boolean;
}

/**
 * Brevo → Salesforce: the contact's blocklisting (`emailBlacklisted` as Brevo holds it, or true for
 * an `unsubscribed` event) against what the link knows. null: nothing to do (unknown, or no change).
 * A re-subscription clears the Salesforce flag only with `resubscribeClears`.
 */
export function decideOptOutFromBrevo(blocklisted: boolean | null, synced: SyncedOptOut, settings: OptOutSettings): BrevoOptOutDecision | null {
  if (blocklisted === null) return null;
  if (blocklisted) {
    if (synced.emailBlacklisted === true) return null;
    return { synced: { optedOut: true, emailBlacklisted: true }, write: true };
  }
  if (synced.emailBlacklisted !== true) return null;
  if (settings.resubscribeClears) return { synced: { emailBlacklisted: false }, write: false };
  return { synced: { ...synced, emailBlacklisted: false } };
}
