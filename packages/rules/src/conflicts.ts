export type ConflictWinner = 'salesforce' | 'brevo';

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
}): ConflictWinner {
  const salesforce = toMillis(salesforceModifiedAt);
  const brevo = toMillis(brevoModifiedAt);
  if (Number.isNaN(brevo)) return 'salesforce';
  if (Number.isNaN(salesforce)) return 'brevo';
  return brevo > salesforce ? 'brevo' : 'salesforce';
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
