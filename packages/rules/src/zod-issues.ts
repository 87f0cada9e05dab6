import type { z } from 'zod';
import { isRuleCode, RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/**
 * Turns a zod error from this package's schemas into rule issues. The
 * schemas carry rule codes as messages; any other zod failure (wrong type,
 * unknown key) becomes `invalid_input`. `field` is the dotted input path.
 */
export function issuesFromZodError(error: z.ZodError): RuleIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || undefined;
    const code = isRuleCode(issue.message) ? issue.message : RuleCode.InvalidInput;
    const params: Record<string, string | number> = {};
    if ('maximum' in issue && typeof issue.maximum === 'number') params.max = issue.maximum;
    if ('minimum' in issue && typeof issue.minimum === 'number') params.min = issue.minimum;
    return createIssue(code, field, params);
  });
}
