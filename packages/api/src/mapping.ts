import { mappingSchema, mappingSettingsSchema } from '@contact-sync/rules';
import { z } from 'zod';
import { ruleIssueSchema } from './issues.ts';

/** The subset of a Salesforce describe field the rules read (and the form shows). */
export const salesforceFieldSchema = z
  .object({
    name: z.string(),
    label: z.string().optional(),
    type: z.string(),
    length: z.number().optional(),
    calculated: z.boolean().optional(),
    createable: z.boolean().optional(),
    updateable: z.boolean().optional(),
    nillable: z.boolean().optional(),
    filterable: z.boolean().optional(),
    picklistValues: z.array(z.object({ value: z.string(), label: z.string().nullable().optional(), active: z.boolean().optional() })).optional(),
    restrictedPicklist: z.boolean().optional(),
  })
  .meta({ id: 'SalesforceField' });

/** A Brevo contact attribute as GET /v3/contacts/attributes lists it (the part the rules read). */
export const brevoAttributeSchema = z
  .object({
    name: z.string(),
    category: z.string(),
    type: z.string().optional(),
    enumeration: z.array(z.object({ value: z.number(), label: z.string() })).optional(),
    multiCategoryOptions: z.array(z.string()).optional(),
  })
  .meta({ id: 'BrevoAttribute' });

/**
 * `describeMappingOptions` of the rules package, with fields referenced by
 * name (the full fields are in `salesforceFields`).
 */
export const mappingOptionSchema = z
  .object({
    attribute: brevoAttributeSchema,
    kind: z.enum(['email', 'sms', 'text', 'date', 'float', 'boolean', 'category', 'multipleChoice']).nullable(),
    issue: ruleIssueSchema.nullable(),
    eligibleFields: z.array(z.string()),
    ineligibleFields: z.array(z.object({ field: z.string(), issue: ruleIssueSchema })),
  })
  .meta({ id: 'MappingOption' });

export const mappingOptionsResponseSchema = z
  .object({
    salesforceObject: z.enum(['Contact', 'Lead']),
    options: z.array(mappingOptionSchema),
    /** Raw inputs, so the form can run `validateMapping` locally as the user types. */
    salesforceFields: z.array(salesforceFieldSchema),
    brevoAttributes: z.array(brevoAttributeSchema),
    mapping: mappingSchema.nullable(),
    mappingSettings: mappingSettingsSchema,
  })
  .meta({ id: 'MappingOptions' });
export type MappingOptionsResponse = z.infer<typeof mappingOptionsResponseSchema>;

/**
 * `mapping`: `{ [brevoAttribute]: salesforceFieldName }` (R5: one field per attribute by construction).
 * `settings`: per-attribute directions and the conflict policy; absent: the defaults (both ways, the later change wins).
 */
export const mappingBodySchema = z
  .strictObject({ mapping: mappingSchema, settings: mappingSettingsSchema.optional() })
  .meta({ id: 'MappingBody' });
export type MappingBody = z.infer<typeof mappingBodySchema>;
