import { RuleCode } from './codes.ts';
import { checkConsent, type ConsentRecord } from './consent.ts';
import type { BrevoAttribute, SalesforceField } from './field-types.ts';
import { createIssue, type RuleIssue } from './issue.ts';
import { validateMapping, type MappingSettings } from './mapping.ts';
import { checkPlan } from './plan.ts';
import { hasQuotaLeft, MONTHLY_OPERATION_QUOTA, quotaExceededIssue } from './quota.ts';

export interface ActivationInput {
  readonly plan: string | null | undefined;
  readonly consent: Partial<ConsentRecord> | null | undefined;
  readonly mapping: Readonly<Record<string, string>>;
  readonly mappingSettings?: MappingSettings;
  readonly salesforceFields: readonly SalesforceField[];
  readonly brevoAttributes: readonly BrevoAttribute[];
  readonly listId: number | string | null | undefined;
  /** This month's usage and limit; omit for a first activation. */
  readonly quota?: { readonly used: number; readonly limit?: number };
}

/**
 * Everything "Save and activate" (and re-activation) requires, in the order
 * the wizard asks for it: plan (R1), consent (R4), a valid mapping (R5/R6),
 * a Brevo list, and quota left this month (R16). Empty when it may activate.
 */
export function validateActivation(input: ActivationInput): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const plan = checkPlan(input.plan);
  if (plan) issues.push(plan);
  const consent = checkConsent(input.consent);
  if (consent) issues.push(consent);
  issues.push(...validateMapping(input.mapping, input.salesforceFields, input.brevoAttributes, input.mappingSettings));
  if (input.listId == null || input.listId === '') issues.push(createIssue(RuleCode.ListRequired, 'listId'));
  if (input.quota) {
    const limit = input.quota.limit ?? MONTHLY_OPERATION_QUOTA;
    if (!hasQuotaLeft(input.quota.used, limit)) issues.push(quotaExceededIssue(limit));
  }
  return issues;
}
