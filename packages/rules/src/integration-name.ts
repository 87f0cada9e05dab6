import { z } from 'zod';
import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

export const INTEGRATION_NAME_MAX_LENGTH = 100;

/**
 * Unicode's bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Invisible, they
 * reorder the text shown after them: "Leads\u202Efdp.exe" reads as "Leadsexe.pdf" in the list, in emails and in
 * logs. The marks (U+200E, U+200F, U+061C) are left alone: names in right-to-left scripts need them.
 */
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * R2: the name as the API stores it: trimmed, 1–100 characters, no direction controls. Error messages are rule codes.
 * The length is checked before trimming: the API document promises `maxLength` of the string as sent, and trimming
 * only shortens it.
 */
export const integrationNameSchema = z
  .string({ error: RuleCode.NameRequired })
  .max(INTEGRATION_NAME_MAX_LENGTH, { error: RuleCode.NameTooLong })
  .trim()
  .min(1, { error: RuleCode.NameRequired })
  .refine((name) => !DIRECTION_CONTROLS.test(name), { error: RuleCode.NameDirectionControl });

/** The form of a name used to compare names: trimmed and case-folded. */
export function normalizeNameForComparison(name: string): string {
  return name.trim().toLowerCase();
}

/** R2: checks shape, length and characters of a name, `null` when valid. */
export function checkIntegrationName(name: string | null | undefined): RuleIssue | null {
  const trimmed = (name ?? '').trim();
  if (trimmed === '') return createIssue(RuleCode.NameRequired, 'name');
  if (trimmed.length > INTEGRATION_NAME_MAX_LENGTH) {
    return createIssue(RuleCode.NameTooLong, 'name', { max: INTEGRATION_NAME_MAX_LENGTH });
  }
  if (DIRECTION_CONTROLS.test(trimmed)) return createIssue(RuleCode.NameDirectionControl, 'name');
  return null;
}

/**
 * R2: names are unique per account, case-insensitively. `existingNames` are
 * the account's other integrations (exclude the one being renamed).
 */
export function checkNameUnique(name: string, existingNames: Iterable<string>): RuleIssue | null {
  const wanted = normalizeNameForComparison(name);
  for (const existing of existingNames) {
    if (normalizeNameForComparison(existing) === wanted) return createIssue(RuleCode.NameTaken, 'name');
  }
  return null;
}
