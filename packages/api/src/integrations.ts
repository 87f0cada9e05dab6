import {
  CHANGE_DELIVERY_MODES,
  consentInputSchema,
  integrationKindSchema,
  integrationNameSchema,
  integrationStatusSchema,
  mappingSchema,
  mappingSettingsSchema,
  POLLING_REASONS,
} from '@contact-sync/rules';
import { z } from 'zod';
import { isoDateTimeSchema } from './common.ts';

/**
 * Where a resumed draft continues in the wizard: the first step not done.
 * `preview` means every step is done and the draft can be previewed, saved
 * and activated. `null` for integrations that are no longer drafts.
 */
export const WIZARD_STEPS = ['connect', 'consent', 'mapping', 'list', 'preview'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];
export const wizardStepSchema = z.enum(WIZARD_STEPS);

export const salesforceConnectionSchema = z
  .object({
    username: z.string(),
    displayName: z.string().nullable(),
    orgId: z.string(),
    userId: z.string(),
    instanceUrl: z.string(),
    connectedAt: isoDateTimeSchema,
  })
  .meta({ id: 'SalesforceConnection' });

export const consentSchema = z.object({ by: z.string(), at: isoDateTimeSchema }).meta({ id: 'Consent' });

export const brevoListRefSchema = z.object({ id: z.number().int(), name: z.string() }).meta({ id: 'BrevoListRef' });

export const quotaSchema = z
  .object({ used: z.number().int().min(0), limit: z.number().int().min(0), month: z.string().regex(/^\d{4}-\d{2}$/) })
  .meta({ id: 'Quota', description: 'R16: operations used this calendar month (UTC) and the limit.' });

export const statusReasonSchema = z
  .object({ code: z.string(), at: isoDateTimeSchema })
  .meta({ id: 'StatusReason', description: 'Why the integration is in error, auth_error or disabled_quota (a stable code).' });

export const syncProgressSchema = z
  .object({
    running: z.boolean(),
    processed: z.number().int().min(0),
    total: z.number().int().min(0).nullable(),
    /** When the run started: with `processed` and `total`, what the time left is. */
    startedAt: isoDateTimeSchema,
  })
  .meta({ id: 'SyncProgress', description: 'The run in progress (the progress bar of the first sync); null when none is running.' });

export const changeDeliverySchema = z
  .object({
    mode: z.enum(CHANGE_DELIVERY_MODES),
    /** Why not in real time (null while it is). */
    reason: z.enum(POLLING_REASONS).nullable(),
    /** Seconds between watermark runs now: the polling interval, or the safety net's while in real time. */
    intervalSeconds: z.number().int().min(1),
    since: isoDateTimeSchema,
  })
  .meta({
    id: 'ChangeDelivery',
    description: "How Salesforce changes reach Brevo: in real time (Change Data Capture) or by the run every intervalSeconds, and why. On one integration's answers only, not in the list.",
  });
export type ChangeDeliveryDto = z.infer<typeof changeDeliverySchema>;

export const integrationSchema = z
  .object({
    id: z.string(),
    kind: integrationKindSchema,
    name: z.string(),
    status: integrationStatusSchema,
    statusReason: statusReasonSchema.nullable(),
    nextStep: wizardStepSchema.nullable(),
    salesforce: salesforceConnectionSchema.nullable(),
    consent: consentSchema.nullable(),
    mapping: mappingSchema.nullable(),
    // Optional in the type so clients written before it keep compiling; this BFF always sends it.
    mappingSettings: mappingSettingsSchema.optional(),
    list: brevoListRefSchema.nullable(),
    activatedAt: isoDateTimeSchema.nullable(),
    lastSyncAt: isoDateTimeSchema.nullable(),
    // Optional in the type so clients written before it keep compiling; this BFF always sends it.
    sync: syncProgressSchema.nullable().optional(),
    // null: not syncing, or no worker has seen it yet.
    changeDelivery: changeDeliverySchema.nullable().optional(),
    quota: quotaSchema,
    createdAt: isoDateTimeSchema,
    updatedAt: isoDateTimeSchema,
  })
  .meta({ id: 'Integration' });
export type IntegrationDto = z.infer<typeof integrationSchema>;

export const integrationListResponseSchema = z
  .object({ integrations: z.array(integrationSchema) })
  .meta({ id: 'IntegrationList' });
export type IntegrationListResponse = z.infer<typeof integrationListResponseSchema>;

/** "Create integration": kind and name (R2); R1 applies. */
export const createIntegrationBodySchema = z
  .strictObject({ kind: integrationKindSchema, name: integrationNameSchema })
  .meta({ id: 'CreateIntegrationBody' });
export type CreateIntegrationBody = z.infer<typeof createIntegrationBodySchema>;

/** Rename (R2). Other parts have their own step routes. */
export const updateIntegrationBodySchema = z
  .strictObject({ name: integrationNameSchema })
  .meta({ id: 'UpdateIntegrationBody' });
export type UpdateIntegrationBody = z.infer<typeof updateIntegrationBodySchema>;

/** R4: only an explicit `true` is consent (the rules' own schema). */
export const consentBodySchema = consentInputSchema.meta({ id: 'ConsentBody' });
export type ConsentBody = z.infer<typeof consentBodySchema>;

export const listBodySchema = z
  .strictObject({ listId: z.number().int().min(1) })
  .meta({ id: 'ChooseListBody' });
export type ListBody = z.infer<typeof listBodySchema>;
