import { RuleCode } from '@contact-sync/rules';
import { z } from 'zod';

const RULE_CODES = Object.values(RuleCode) as [RuleCode, ...RuleCode[]];

/** A `RuleIssue` from `@contact-sync/rules`: translate with `t(messageKey, params)`. */
export const ruleIssueSchema = z
  .object({
    code: z.enum(RULE_CODES),
    rule: z.string(),
    messageKey: z.string(),
    field: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
  })
  .meta({ id: 'RuleIssue' });
export type RuleIssueDto = z.infer<typeof ruleIssueSchema>;
