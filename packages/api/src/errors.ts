import { z } from 'zod';
import { ruleIssueSchema } from './issues.ts';

/**
 * Every error code the BFF answers, with its HTTP status. Codes are the
 * contract with the microfrontend (translated by code) and with operators
 * (logged by code): never rename one, add a new one. Rule codes from
 * `@contact-sync/rules` that reach the top level (`plan_required`,
 * `name_taken`, `connection_limit_reached`, `consent_required`) keep the
 * rules' code so the UI has one catalogue.
 */
export const API_ERRORS = {
  /** Malformed JSON body. */
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  /** A path that does not percent-decode, or a body that does not decode as its Content-Encoding says. */
  malformed_request: { status: 400, message: 'The request is malformed: its address or its body could not be decoded.' },
  /** Missing, expired, not yet valid or otherwise unacceptable token (host JWT or admin secret). */
  unauthorized: { status: 401, message: 'Authentication required.' },
  /** R1: the account's plan may not create or activate integrations. */
  plan_required: { status: 403, message: 'This feature requires the BrevoPlus plan.' },
  /** Unknown route, or a resource that does not exist in the caller's account. */
  not_found: { status: 404, message: 'Not found.' },
  /** R2: another integration of the account has this name (case-insensitive). */
  name_taken: { status: 409, message: 'An integration with this name already exists.' },
  /** R3: the Salesforce account already backs 5 integrations. */
  connection_limit_reached: { status: 409, message: 'This Salesforce account is already connected to the maximum number of integrations.' },
  /** R4: consent must be given before mapping. */
  consent_required: { status: 409, message: 'Opt-in consent is required first.' },
  /** The integration misses a step (details.nextStep) before it can be activated. */
  integration_incomplete: { status: 409, message: 'The integration is not complete.' },
  /** The action does not apply in the integration's current status (details.status). */
  invalid_state: { status: 409, message: 'This action is not possible in the current status.' },
  /** The step needs a connected Salesforce account. */
  salesforce_not_connected: { status: 409, message: 'Connect a Salesforce account first.' },
  /** The Salesforce tokens were revoked or expired beyond refresh: the integration is now `auth_error`. */
  salesforce_reconnect_required: { status: 409, message: 'The Salesforce connection has expired. Reconnect the Salesforce account.' },
  /** The connected Salesforce user or org has API access disabled. */
  salesforce_api_disabled: { status: 409, message: 'API access is disabled for this Salesforce user or org. Enable "API Enabled" and reconnect.' },
  /** The Salesforce sign-in's state is unknown, expired or already used. */
  oauth_state_invalid: { status: 400, message: 'This Salesforce sign-in has expired or was already used. Connect again.' },
  /** The Salesforce sign-in was started by another host user, account or integration: nothing is connected. */
  oauth_state_mismatch: { status: 403, message: 'This Salesforce sign-in was started by someone else. Nothing was connected.' },
  /** Salesforce refused the authorization code (expired, used, or not issued for this sign-in). */
  oauth_failed: { status: 400, message: 'Salesforce did not complete the sign-in. Connect again.' },
  /** Reconnecting an activated integration to another Salesforce org would orphan its synced data. */
  salesforce_org_mismatch: { status: 409, message: 'Reconnect with a user of the same Salesforce org.' },
  /** R16: a `disabled_quota` integration is re-activated only with quota left. */
  quota_exceeded: { status: 409, message: 'The monthly operation quota is used up.' },
  /** The account has no Brevo API key configured. */
  brevo_not_configured: { status: 409, message: 'No Brevo API key is configured for this account.' },
  /** Brevo refused the account's API key. */
  brevo_key_rejected: { status: 409, message: 'Brevo refused the API key configured for this account.' },
  /** The Brevo list does not exist (any more) in the account. */
  brevo_list_not_found: { status: 409, message: 'The Brevo list does not exist.' },
  /** Request body larger than the limit. */
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  /** The body's content type, charset or Content-Encoding is not one the route reads. */
  unsupported_media_type: { status: 415, message: 'The request body must be JSON (Content-Type: application/json) in UTF-8, plain or gzip, deflate or br.' },
  /** Body, query or path failed validation; details.issues lists each problem. */
  validation_failed: { status: 422, message: 'The request is not valid.' },
  /** Too many requests for this account; see Retry-After. */
  rate_limited: { status: 429, message: 'Too many requests. Try again later.' },
  /**
   * A Brevo webhook could not be stored (e.g. database unreachable). 429 because
   * Brevo redelivers only after a timeout or a 429; any 5xx drops the event for good.
   */
  webhook_not_stored: { status: 429, message: 'The event was not stored; deliver it again later.' },
  /** Anything unexpected. Never carries internals. */
  internal_error: { status: 500, message: 'An unexpected error occurred.' },
  /** Salesforce or Brevo failed or answered unexpectedly. */
  upstream_error: { status: 502, message: 'A connected service did not answer as expected. Try again later.' },
  /** Salesforce or Brevo asked us to slow down (rate or daily API limit). */
  upstream_rate_limited: { status: 503, message: 'A connected service is busy. Try again later.' },
  /** The BFF cannot serve right now (database unreachable). */
  service_unavailable: { status: 503, message: 'The service is temporarily unavailable.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;
export const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];
export const apiErrorCodeSchema = z.enum(API_ERROR_CODES);

export function apiErrorStatus(code: ApiErrorCode): number {
  return API_ERRORS[code].status;
}

export const validationDetailsSchema = z.object({ issues: z.array(ruleIssueSchema) }).meta({ id: 'ValidationDetails' });

/** The one error body: `{ error: { code, message, details? } }`. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: apiErrorCodeSchema,
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'ErrorResponse', description: 'Every error. `details.issues` on validation_failed; `details.nextStep` on integration_incomplete; `details.status` on invalid_state.' });
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
