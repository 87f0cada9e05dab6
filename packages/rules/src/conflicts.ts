import { z } from 'zod';
import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

export type ConflictWinner = 'salesforce' | 'brevo';

/**
 * R17, chosen per integration: what decides a field changed on both sides since the last sync.
 * `later_wins` is the seed's rule and the default.
 */
export const ConflictPolicy = {
  LaterWins: 'later_wins',
  SalesforceWins: 'salesforce_wins',
  BrevoWins: 'brevo_wins',
} as const;
export type ConflictPolicy = (typeof ConflictPolicy)[keyof typeof ConflictPolicy];
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = Object.values(ConflictPolicy);
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = ConflictPolicy.LaterWins;
export const conflictPolicySchema = z.enum(CONFLICT_POLICIES as [ConflictPolicy, ...ConflictPolicy[]], { error: RuleCode.InvalidInput });

function toMillis(value: string | Date | null | undefined): number {
  if (value == null) return Number.NaN;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

/**
 * R17: a field changed on both sides between syncs: the later change wins,
 * comparing Salesforce `SystemModstamp` with Brevo `modifiedAt` as instants.
 * A tie goes to Salesforce, the system of record (and the side whose
 * timestamps are more precise). A missing or unreadable timestamp loses.
 */
export function resolveConflict({ salesforceModifiedAt, brevoModifiedAt }: {
  salesforceModifiedAt: string | Date | null | undefined;
  brevoModifiedAt: string | Date | null | undefined;
}, policy: ConflictPolicy = DEFAULT_CONFLICT_POLICY): ConflictWinner {
  if (policy === ConflictPolicy.SalesforceWins) return 'salesforce';
  if (policy === ConflictPolicy.BrevoWins) return 'brevo';
  const salesforce = toMillis(salesforceModifiedAt);
  const brevo = toMillis(brevoModifiedAt);
  if (Number.isNaN(brevo)) return 'salesforce';
  if (Number.isNaN(salesforce)) return 'brevo';
  return brevo > salesforce ? 'brevo' : 'salesforce';
}

/**
 * R17: the decision on one field changed on both sides, as the record warning the user reads on
 * the integration's page (the Salesforce field, the attribute, which side kept its value).
 */
export function decideConflict(
  times: Parameters<typeof resolveConflict>[0],
  policy: ConflictPolicy,
  pair: { attribute: string; salesforceField: string },
): { winner: ConflictWinner; issue: RuleIssue } {
  const winner = resolveConflict(times, policy);
  const code = winner === 'salesforce' ? RuleCode.ConflictSalesforceKept : RuleCode.ConflictBrevoKept;
  return { winner, issue: createIssue(code, pair.salesforceField, { attribute: pair.attribute, policy }) };
}

/**
 * R17: a change whose values hash (`hashMappedValues`) equals the hash we
 * stored when we last wrote that side is our own write coming back: ignore it.
 */
export function isEchoOfOwnWrite(incomingHash: string, lastWrittenHash: string | null | undefined): boolean {
  return lastWrittenHash != null && incomingHash === lastWrittenHash;
}

/**
 * R17, told by Brevo itself: a change made with the integration's own API key
 * (`api_key_name` of a contact webhook, Brevo changelog 2026-11-01) is its own
 * write coming back. Unknown key name (null): nothing can be told this way.
 * '' is a change not made through the API (a marketer in Brevo), never ours.
 */
export function isMadeWithOwnKey(changeKeyName: unknown, ownKeyName: string | null): boolean {
  return ownKeyName !== null && ownKeyName !== '' && changeKeyName === ownKeyName;
}
