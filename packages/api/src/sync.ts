import { RUN_TRIGGERS } from '@contact-sync/rules';
import { z } from 'zod';
import { isoDateTimeSchema, queryIntegerSchema } from './common.ts';
import { quotaSchema } from './integrations.ts';
import { ruleIssueSchema } from './issues.ts';

/**
 * Bodies of the sync routes: preview (SPEC §2 step 7), Sync now, runs and
 * record errors (SPEC §4), and the Brevo webhook receiver.
 */

const paramsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/** Rejected records of a preview with one reason (rule code); message of the first such record. */
export const previewReasonSchema = z
  .object({ code: z.string(), messageKey: z.string(), params: paramsSchema, count: z.number().int().min(0) })
  .meta({ id: 'PreviewReason' });

export const previewSampleSchema = z
  .object({
    salesforceId: z.string(),
    /** What Brevo would hold (creates and updates). */
    values: z
      .object({ email: z.string().optional(), sms: z.string().optional(), attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string()).readonly(), z.null()])) })
      .optional(),
    /** Why it would be rejected. */
    issues: z.array(ruleIssueSchema).optional(),
  })
  .meta({ id: 'PreviewSample' });

export const previewSchema = z
  .object({
    read: z.number().int().min(0),
    toCreate: z.number().int().min(0),
    toUpdate: z.number().int().min(0),
    /** Linked records deleted in Salesforce: taken out of the list (R13). */
    toDelete: z.number().int().min(0),
    unchanged: z.number().int().min(0),
    /** New records with neither email nor SMS: not sent, no quota (R5). */
    noEmailOrSms: z.number().int().min(0),
    /** Linked records that stopped matching the record filter: they would leave the list (not deleted). */
    toLeave: z.number().int().min(0),
    /** Records that do not match the record filter and are not in the list: not sent. */
    notMatching: z.number().int().min(0),
    /** Records rejected (a record with two issues counts once here, under each reason in `rejected`). */
    rejectedRecords: z.number().int().min(0),
    rejected: z.array(previewReasonSchema),
    samples: z.object({ create: z.array(previewSampleSchema), update: z.array(previewSampleSchema), rejected: z.array(previewSampleSchema) }),
    /** Operations the first sync would charge (R16). */
    operations: z.number().int().min(0),
    /** `operations` over the monthly limit. */
    quotaShare: z.number().min(0),
    /** More operations than the quota left this month: the sync would stop at the limit. */
    exceedsQuota: z.boolean(),
    quota: quotaSchema,
  })
  .meta({ id: 'Preview', description: "What the next sync would do, counted as the run counts (its counts are the first run's); nothing is written anywhere." });
export type PreviewDto = z.infer<typeof previewSchema>;

export const runCountsSchema = z
  .object({
    read: z.number().int().min(0),
    created: z.number().int().min(0),
    updated: z.number().int().min(0),
    deleted: z.number().int().min(0),
    /** Unchanged records (no call, no quota). */
    skipped: z.number().int().min(0),
    /** New records with neither email nor SMS: not sent to Brevo, no quota (a warning each). */
    noEmailOrSms: z.number().int().min(0),
    rejected: z.number().int().min(0),
    failed: z.number().int().min(0),
    /** Linked records that stopped matching the record filter: their contacts left the list (not deleted). */
    leftList: z.number().int().min(0),
    /** Records that do not match the record filter and are not in the list: not sent, no quota. */
    notMatching: z.number().int().min(0),
  })
  .meta({ id: 'RunCounts' });

export const runSchema = z
  .object({
    id: z.string(),
    direction: z.enum(['salesforce_to_brevo', 'brevo_to_salesforce']),
    initialLoad: z.boolean(),
    trigger: z.enum(RUN_TRIGGERS),
    status: z.enum(['running', 'succeeded', 'failed', 'stopped']),
    startedAt: isoDateTimeSchema,
    finishedAt: isoDateTimeSchema.nullable(),
    counts: runCountsSchema,
    /** Operations charged against the monthly quota (R16). */
    operations: z.number().int().min(0),
    progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0).nullable() }),
    /** Why the run stopped or failed (a stable code). */
    outcome: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .meta({ id: 'Run' });
export type RunDto = z.infer<typeof runSchema>;

export const runPageSchema = z
  .object({ runs: z.array(runSchema), total: z.number().int().min(0), offset: z.number().int(), limit: z.number().int() })
  .meta({ id: 'RunPage', description: 'Runs of both directions, newest first.' });
export type RunPage = z.infer<typeof runPageSchema>;

export const recordErrorSchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    direction: z.enum(['salesforce_to_brevo', 'brevo_to_salesforce']),
    /** `Contact` or `Lead`. */
    object: z.string(),
    salesforceId: z.string().nullable(),
    brevoId: z.number().int().nullable(),
    field: z.string().nullable(),
    /** Rules-package code (`phone_digits_out_of_range`, `duplicate`…) or a sync code. */
    code: z.string(),
    rule: z.string(),
    messageKey: z.string(),
    params: paramsSchema,
    /** `error`: the record was not synced; `warning`: synced, one value kept back. */
    severity: z.enum(['error', 'warning']),
    fixHintKey: z.string(),
    /** A retry may succeed once the cause is fixed (not for rejections that need a change in the data). */
    retryable: z.boolean(),
    occurredAt: isoDateTimeSchema,
    /** Who the record is (name and email when the error was recorded); null for errors recorded before. */
    contact: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
    /** The record in Salesforce (the org's instance URL), when there is one. */
    salesforceUrl: z.string().nullable(),
  })
  .meta({ id: 'RecordError' });

/** Open record errors of one cause: how many records, and whether a retry can help. */
export const recordErrorGroupSchema = z
  .object({
    direction: z.enum(['salesforce_to_brevo', 'brevo_to_salesforce']),
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    /** Records with this cause (each once). */
    count: z.number().int().min(0),
    /** The message of the newest such record (its parameters are that record's). */
    messageKey: z.string(),
    params: paramsSchema,
    fixHintKey: z.string(),
    /** "Retry" can succeed for these records (Salesforce → Brevo, a cause that may be gone without a change in Salesforce). */
    retryable: z.boolean(),
  })
  .meta({ id: 'RecordErrorGroup' });
export type RecordErrorGroupDto = z.infer<typeof recordErrorGroupSchema>;

/** `q` (name, email or record id, case-insensitive) and `code` (one cause) narrow the list; paging as elsewhere, up to 500 for an export. */
export const recordErrorQuerySchema = z.strictObject({
  offset: queryIntegerSchema(0, 1_000_000, 0),
  limit: queryIntegerSchema(1, 500, 10),
  q: z.string().max(200).trim().optional(),
  code: z.string().regex(/^[a-z_]{1,64}$/).optional(),
});

export const retryRecordErrorsQuerySchema = z.strictObject({ code: z.string().regex(/^[a-z_]{1,64}$/).optional() });
export type RecordErrorDto = z.infer<typeof recordErrorSchema>;

export const recordErrorPageSchema = z
  .object({
    recordErrors: z.array(recordErrorSchema),
    total: z.number().int().min(0),
    offset: z.number().int(),
    limit: z.number().int(),
    /** Every open cause (whatever `q` and `code`), most records first. */
    groups: z.array(recordErrorGroupSchema),
    /** More open errors than were read (the newest are): counts are lower bounds. */
    truncated: z.boolean(),
  })
  .meta({ id: 'RecordErrorPage', description: 'Open record errors and warnings (each record once per cause, the newest), newest first, grouped by cause.' });
export type RecordErrorPage = z.infer<typeof recordErrorPageSchema>;

/** What "retry" asked for: how many records the next run (starting now) reads again. */
export const retryRecordErrorsResponseSchema = z
  .object({ requested: z.number().int().min(0) })
  .meta({ id: 'RetryRecordErrorsRequest' });
export type RetryRecordErrorsResult = z.infer<typeof retryRecordErrorsResponseSchema>;

/** Brevo marketing webhook call (one payload or a batch); validated in depth by the receiver. */
const brevoWebhookPayloadSchema = z.looseObject({
  event: z.string(),
  email: z.string().max(320),
  ts: z.number(),
  content: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]).optional(),
  /** The name of the API key that made the change ('' when not made through the API); Brevo changelog 2026-11-01. */
  api_key_name: z.string().optional(),
});
export const brevoWebhookBodySchema = z
  .union([brevoWebhookPayloadSchema, z.array(brevoWebhookPayloadSchema).min(1).max(1000)])
  .meta({ id: 'BrevoWebhookBody', description: '`contact_updated` / `contact_deleted` / `unsubscribed` payloads; other events are acknowledged and ignored.' });

export const brevoWebhookParamsSchema = z.strictObject({ integrationId: z.string().min(1).max(64) });

export const brevoWebhookResponseSchema = z
  .object({ stored: z.number().int().min(0), duplicates: z.number().int().min(0), ownWrites: z.number().int().min(0) })
  .meta({
    id: 'BrevoWebhookReceipt',
    description: "Events stored now, redeliveries of events already stored, and events of the integration's own writes (made with the account's Brevo key, by `api_key_name`), not stored.",
  });
