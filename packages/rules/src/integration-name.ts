import { z } from 'zod';
import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

export const INTEGRATION_NAME_MAX_LENGTH = 100;

/** R2: the name as the API stores it: trimmed, 1–100 characters. Error messages are rule codes. */
export const integrationNameSchema = z
  .string({ error: RuleCode.NameRequired })
  .trim()
  .min(1, { error: RuleCode.NameRequired })
  .max(INTEGRATION_NAME_MAX_LENGTH, { error: RuleCode.NameTooLong });

/** The form of a name used to compare names: trimmed and case-folded. */
export function normalizeNameForComparison(name: string): string {
  return name.trim().toLowerCase();
}

/** R2: checks shape and length of a name, `null` when valid. */
export function checkIntegrationName(name: string | null | undefined): RuleIssue | null {
  const trimmed = (name ?? '').trim();
  if (trimmed === '') return createIssue(RuleCode.NameRequired, 'name');
  if (trimmed.length > INTEGRATION_NAME_MAX_LENGTH) {
    return createIssue(RuleCode.NameTooLong, 'name', { max: INTEGRATION_NAME_MAX_LENGTH });
  }
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
