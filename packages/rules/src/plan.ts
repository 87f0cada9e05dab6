import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/** R1: the only plan that may create or activate an integration. */
export const REQUIRED_PLAN = 'BrevoPlus';

/** R1: `null` when the account's plan may create or activate an integration. */
export function checkPlan(plan: string | null | undefined): RuleIssue | null {
  return plan === REQUIRED_PLAN ? null : createIssue(RuleCode.PlanRequired, 'plan', { requiredPlan: REQUIRED_PLAN });
}
