import { z } from 'zod';
import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/** R4: what the form sends; only an explicit `true` is consent. */
export const consentInputSchema = z.strictObject({
  optIn: z.literal(true, { error: RuleCode.ConsentRequired }),
});

/** R4: what is stored: who consented and when (ISO 8601 UTC). */
export const consentRecordSchema = z.strictObject({
  optIn: z.literal(true),
  by: z.string().min(1),
  at: z.iso.datetime(),
});

export type ConsentInput = z.infer<typeof consentInputSchema>;
export type ConsentRecord = z.infer<typeof consentRecordSchema>;

/** R4: the record to store when user `by` consents at `now`. */
export function recordConsent(by: string, now: Date): ConsentRecord {
  return { optIn: true, by, at: now.toISOString() };
}

/** R4: mapping (and activation) need a stored consent. */
export function checkConsent(consent: Partial<ConsentRecord> | null | undefined): RuleIssue | null {
  return consentRecordSchema.safeParse(consent).success ? null : createIssue(RuleCode.ConsentRequired, 'consent');
}
