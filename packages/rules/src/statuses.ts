import { z } from 'zod';

export const IntegrationStatus = {
  Draft: 'draft',
  Active: 'active',
  Paused: 'paused',
  /** Active, but the last run had record errors. */
  Error: 'error',
  /** Token revoked or expired beyond refresh: the user must reconnect. */
  AuthError: 'auth_error',
  DisabledQuota: 'disabled_quota',
} as const;
export type IntegrationStatus = (typeof IntegrationStatus)[keyof typeof IntegrationStatus];
export const integrationStatusSchema = z.enum(IntegrationStatus);

export const INTEGRATION_KINDS = {
  'salesforce-contacts': { salesforceObject: 'Contact' },
  'salesforce-leads': { salesforceObject: 'Lead' },
} as const;
export type IntegrationKind = keyof typeof INTEGRATION_KINDS;
export type SalesforceObjectName = (typeof INTEGRATION_KINDS)[IntegrationKind]['salesforceObject'];
export const integrationKindSchema = z.enum(Object.keys(INTEGRATION_KINDS) as [IntegrationKind, ...IntegrationKind[]]);

export function salesforceObjectOf(kind: IntegrationKind): SalesforceObjectName {
  return INTEGRATION_KINDS[kind].salesforceObject;
}

/** Statuses in which scheduled syncs run. */
export function isSyncing(status: IntegrationStatus): boolean {
  return status === IntegrationStatus.Active || status === IntegrationStatus.Error;
}

/**
 * Status after a completed run of a syncing integration: `error` while the
 * last run had record errors (R9, R13, R15), back to `active` once a run has none.
 * Other statuses are not changed by a run.
 */
export function statusAfterRun(current: IntegrationStatus, recordErrors: number): IntegrationStatus {
  if (!isSyncing(current)) return current;
  return recordErrors > 0 ? IntegrationStatus.Error : IntegrationStatus.Active;
}

/**
 * How an integration's Salesforce changes reach Brevo: in real time (Change
 * Data Capture), or by the watermark run at its interval ("polling"), with
 * the reason the stream is not trusted (or not there).
 */
export const CHANGE_DELIVERY_MODES = ['realtime', 'polling'] as const;
export type ChangeDeliveryMode = (typeof CHANGE_DELIVERY_MODES)[number];

export const POLLING_REASONS = [
  /** Subscribing, or catching up on what came before the subscription. */
  'connecting',
  /** The worker runs with streaming turned off. */
  'streaming_disabled',
  /** The object is not selected for Change Data Capture in the org. */
  'cdc_not_enabled',
  /** Salesforce sent a gap event: changes it could not stream. */
  'gap_event',
  /** A transaction too large to stream (an overflow event). */
  'overflow_event',
  /** The stream was away longer than Salesforce keeps events. */
  'replay_expired',
  /** The connection to the stream is down. */
  'disconnected',
  /** Salesforce refused the stream's session (it is being refreshed). */
  'auth_failed',
] as const;
export type PollingReason = (typeof POLLING_REASONS)[number];

/** Why a run happened (the runs list shows it). */
export const RUN_TRIGGERS = [
  'schedule',
  'sync_now',
  /** Events of a Brevo webhook. */
  'brevo_change',
  /** Activation or resume. */
  'activation',
  /** "Retry" on record errors. */
  'retry',
  /** A batch of Salesforce changes streamed in real time (Change Data Capture). */
  'salesforce_change',
  /** The run asked for when the real-time stream fell back (changes may have been missed). */
  'stream_catch_up',
  /** The rest of a long run that gave way to other integrations' runs between two chunks. */
  'continuation',
] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
