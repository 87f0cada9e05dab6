import { integrationKindSchema, salesforceObjectOf, type IntegrationKind } from '@contact-sync/rules';
import { z } from 'zod';

export const sessionResponseSchema = z
  .object({
    accountId: z.string(),
    user: z.object({ id: z.string(), email: z.string(), locale: z.string() }),
    plan: z.string(),
    /** R1: whether this account may create and activate integrations. */
    canActivate: z.boolean(),
    requiredPlan: z.string(),
    /** Whether a Brevo API key is configured for the account (lists and attributes need it). */
    brevoConfigured: z.boolean(),
    kinds: z.array(z.object({ kind: integrationKindSchema, salesforceObject: z.enum(['Contact', 'Lead']) })),
  })
  .meta({ id: 'Session' });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const INTEGRATION_KIND_LIST = (['salesforce-contacts', 'salesforce-leads'] as const satisfies readonly IntegrationKind[]).map(
  (kind) => ({ kind, salesforceObject: salesforceObjectOf(kind) }),
);
