import { z } from 'zod';
import { accountParamsSchema, adminAccountResponseSchema, setBrevoKeyBodySchema } from './admin.ts';
import { brevoListPageSchema, brevoListSchema, createBrevoListBodySchema } from './brevo.ts';
import { integrationParamsSchema, pageQuerySchema } from './common.ts';
import type { ApiErrorCode } from './errors.ts';
import {
  consentBodySchema,
  createIntegrationBodySchema,
  integrationListResponseSchema,
  integrationSchema,
  listBodySchema,
  updateIntegrationBodySchema,
} from './integrations.ts';
import { mappingBodySchema, mappingOptionsResponseSchema } from './mapping.ts';
import { completeConnectBodySchema, connectResponseSchema, oauthCallbackQuerySchema } from './salesforce.ts';
import { sessionResponseSchema } from './session.ts';
import {
  brevoWebhookBodySchema,
  brevoWebhookParamsSchema,
  brevoWebhookResponseSchema,
  previewSchema,
  recordErrorPageSchema,
  recordErrorQuerySchema,
  retryRecordErrorsQuerySchema,
  retryRecordErrorsResponseSchema,
  runPageSchema,
} from './sync.ts';

/**
 * Every BFF route as data: the BFF validates requests with these schemas and
 * the OpenAPI document is generated from them, so the two cannot drift.
 * Paths use Express syntax (`:id`).
 */
export type RouteAuth = 'host-jwt' | 'admin' | 'metrics-token' | 'none';
export type RouteResponse =
  | { status: number; description: string; schema: z.ZodType }
  | { status: number; description: string; contentType: 'text/html' | 'text/plain' }
  | { status: 204; description: string };

export interface RouteDefinition {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: RouteResponse;
  /** Route-specific error codes; the generic ones (auth, validation, rate limit, 500) are added by the generator. */
  errors: readonly ApiErrorCode[];
}

const integration = { status: 200, description: 'The integration after the change', schema: integrationSchema } as const;
const upstream = ['upstream_error', 'upstream_rate_limited'] as const satisfies readonly ApiErrorCode[];
const brevo = ['brevo_not_configured', 'brevo_key_rejected', ...upstream] as const satisfies readonly ApiErrorCode[];
const salesforce = ['salesforce_not_connected', 'salesforce_reconnect_required', 'salesforce_api_disabled', ...upstream] as const satisfies readonly ApiErrorCode[];
const params = integrationParamsSchema;

export const ROUTES = {
  getSession: {
    operationId: 'getSession', method: 'get', path: '/api/v1/session', tag: 'session', auth: 'host-jwt',
    summary: 'Who is calling: account, user, plan (R1) and whether Brevo is configured',
    response: { status: 200, description: 'The session', schema: sessionResponseSchema },
    errors: [],
  },
  listIntegrations: {
    operationId: 'listIntegrations', method: 'get', path: '/api/v1/integrations', tag: 'integrations', auth: 'host-jwt',
    summary: "The account's integrations, newest first",
    response: { status: 200, description: 'The integrations', schema: integrationListResponseSchema },
    errors: [],
  },
  createIntegration: {
    operationId: 'createIntegration', method: 'post', path: '/api/v1/integrations', tag: 'integrations', auth: 'host-jwt',
    summary: 'Create a draft integration (R1 plan, R2 name)',
    body: createIntegrationBodySchema,
    response: { status: 201, description: 'The new draft', schema: integrationSchema },
    errors: ['plan_required', 'name_taken'],
  },
  getIntegration: {
    operationId: 'getIntegration', method: 'get', path: '/api/v1/integrations/:id', tag: 'integrations', auth: 'host-jwt',
    summary: 'One integration',
    params,
    response: { status: 200, description: 'The integration', schema: integrationSchema },
    errors: ['not_found'],
  },
  updateIntegration: {
    operationId: 'updateIntegration', method: 'patch', path: '/api/v1/integrations/:id', tag: 'integrations', auth: 'host-jwt',
    summary: 'Rename an integration (R2)',
    params, body: updateIntegrationBodySchema,
    response: integration,
    errors: ['not_found', 'name_taken'],
  },
  deleteIntegration: {
    operationId: 'deleteIntegration', method: 'delete', path: '/api/v1/integrations/:id', tag: 'integrations', auth: 'host-jwt',
    summary: 'Delete an integration; frees its Salesforce connection slot (R3)',
    params,
    response: { status: 204, description: 'Deleted' },
    errors: ['not_found'],
  },
  startSalesforceConnect: {
    operationId: 'startSalesforceConnect', method: 'post', path: '/api/v1/integrations/:id/salesforce/connect', tag: 'salesforce', auth: 'host-jwt',
    summary: 'Start connecting (or reconnecting) Salesforce: the authorize URL for the popup (state + PKCE S256)',
    params,
    response: { status: 200, description: 'Open authorizeUrl in a popup', schema: connectResponseSchema },
    errors: ['not_found'],
  },
  completeSalesforceConnect: {
    operationId: 'completeSalesforceConnect', method: 'post', path: '/api/v1/integrations/:id/salesforce/complete', tag: 'salesforce', auth: 'host-jwt',
    summary:
      'Complete a connection with the state and code the popup relayed to its opener: only the host user, account and integration that ' +
      'started it may; exchanges the code (PKCE), checks API access, claims an R3 slot and stores the sealed tokens',
    params, body: completeConnectBodySchema,
    response: integration,
    errors: ['not_found', 'oauth_state_invalid', 'oauth_state_mismatch', 'oauth_failed', 'salesforce_api_disabled', 'salesforce_org_mismatch', 'connection_limit_reached', ...upstream],
  },
  salesforceOAuthCallback: {
    operationId: 'salesforceOAuthCallback', method: 'get', path: '/api/v1/oauth/salesforce/callback', tag: 'salesforce', auth: 'none',
    summary:
      'OAuth redirect target: relays the code and state to the opener window that started the sign-in (which completes it with its host ' +
      'token); stores nothing and connects nothing by itself',
    query: oauthCallbackQuerySchema,
    response: { status: 200, description: 'A page relaying SalesforceAuthorizedMessage to window.opener', contentType: 'text/html' },
    // Unauthenticated, so limited per client address.
    errors: ['rate_limited'],
  },
  putConsent: {
    operationId: 'putConsent', method: 'put', path: '/api/v1/integrations/:id/consent', tag: 'wizard', auth: 'host-jwt',
    summary: 'Record opt-in consent (R4): who and when',
    params, body: consentBodySchema,
    response: integration,
    errors: ['not_found'],
  },
  getMappingOptions: {
    operationId: 'getMappingOptions', method: 'get', path: '/api/v1/integrations/:id/mapping/options', tag: 'wizard', auth: 'host-jwt',
    summary: 'For each Brevo attribute, the eligible Salesforce fields and why the others are not (R5, R6)',
    params,
    response: { status: 200, description: 'Mapping options and their raw inputs', schema: mappingOptionsResponseSchema },
    errors: ['not_found', ...salesforce, 'brevo_not_configured', 'brevo_key_rejected'],
  },
  putMapping: {
    operationId: 'putMapping', method: 'put', path: '/api/v1/integrations/:id/mapping', tag: 'wizard', auth: 'host-jwt',
    summary: 'Save the mapping (R4 consent first; R5, R6 checked against live describe and attributes)',
    params, body: mappingBodySchema,
    response: integration,
    errors: ['not_found', 'consent_required', ...salesforce, 'brevo_not_configured', 'brevo_key_rejected'],
  },
  listBrevoLists: {
    operationId: 'listBrevoLists', method: 'get', path: '/api/v1/brevo/lists', tag: 'brevo', auth: 'host-jwt',
    summary: "The account's Brevo contact lists, paged",
    query: pageQuerySchema,
    response: { status: 200, description: 'One page of lists', schema: brevoListPageSchema },
    errors: [...brevo],
  },
  createBrevoList: {
    operationId: 'createBrevoList', method: 'post', path: '/api/v1/brevo/lists', tag: 'brevo', auth: 'host-jwt',
    summary: "Create a Brevo contact list in the plugin's folder",
    body: createBrevoListBodySchema,
    response: { status: 201, description: 'The new list', schema: brevoListSchema },
    errors: [...brevo],
  },
  putList: {
    operationId: 'putList', method: 'put', path: '/api/v1/integrations/:id/list', tag: 'wizard', auth: 'host-jwt',
    summary: 'Choose the Brevo list the integration syncs into',
    params, body: listBodySchema,
    response: integration,
    errors: ['not_found', 'brevo_list_not_found', ...brevo],
  },
  activateIntegration: {
    operationId: 'activateIntegration', method: 'post', path: '/api/v1/integrations/:id/activate', tag: 'lifecycle', auth: 'host-jwt',
    summary: 'Save and activate (R1); also re-activates a disabled_quota integration with quota left (R16)',
    params,
    response: integration,
    errors: ['not_found', 'plan_required', 'integration_incomplete', 'invalid_state', 'quota_exceeded', 'salesforce_reconnect_required'],
  },
  pauseIntegration: {
    operationId: 'pauseIntegration', method: 'post', path: '/api/v1/integrations/:id/pause', tag: 'lifecycle', auth: 'host-jwt',
    summary: 'Pause syncing',
    params,
    response: integration,
    errors: ['not_found', 'invalid_state'],
  },
  resumeIntegration: {
    operationId: 'resumeIntegration', method: 'post', path: '/api/v1/integrations/:id/resume', tag: 'lifecycle', auth: 'host-jwt',
    summary: 'Resume a paused integration (R1)',
    params,
    response: integration,
    errors: ['not_found', 'plan_required', 'invalid_state', 'quota_exceeded'],
  },
  getPreview: {
    operationId: 'getPreview', method: 'get', path: '/api/v1/integrations/:id/preview', tag: 'sync', auth: 'host-jwt',
    summary: 'Dry run of the first sync over the Salesforce data: would-create/update counts, rejected by reason, samples, quota share (writes nothing)',
    params,
    response: { status: 200, description: 'The preview', schema: previewSchema },
    errors: ['not_found', 'integration_incomplete', ...salesforce],
  },
  syncNow: {
    operationId: 'syncNow', method: 'post', path: '/api/v1/integrations/:id/sync', tag: 'sync', auth: 'host-jwt',
    summary: 'Sync now: asks the worker for an immediate run (active or error integrations)',
    params,
    response: { status: 202, description: 'Requested; the integration as it is now', schema: integrationSchema },
    errors: ['not_found', 'invalid_state'],
  },
  listRuns: {
    operationId: 'listRuns', method: 'get', path: '/api/v1/integrations/:id/runs', tag: 'sync', auth: 'host-jwt',
    summary: 'Sync runs of both directions, newest first: start, end, counts, operations, status',
    params, query: pageQuerySchema,
    response: { status: 200, description: 'One page of runs', schema: runPageSchema },
    errors: ['not_found'],
  },
  listRecordErrors: {
    operationId: 'listRecordErrors', method: 'get', path: '/api/v1/integrations/:id/record-errors', tag: 'sync', auth: 'host-jwt',
    summary: 'Open rejected and failed records (and warnings), newest first, with who the record is, rule code, message and fix hint; grouped by cause; searchable',
    params, query: recordErrorQuerySchema,
    response: { status: 200, description: 'One page of record errors', schema: recordErrorPageSchema },
    errors: ['not_found'],
  },
  retryRecordErrors: {
    operationId: 'retryRecordErrors', method: 'post', path: '/api/v1/integrations/:id/record-errors/retry', tag: 'sync', auth: 'host-jwt',
    summary:
      'Retry: marks the Salesforce records of the open retryable Salesforce → Brevo record errors (of one cause with `code`; up to 1,000) for the next run and ' +
      'asks for that run now; it reads them again and syncs them like any record (the watermark does not move)',
    params, query: retryRecordErrorsQuerySchema,
    response: { status: 202, description: 'Requested; how many records the next run retries', schema: retryRecordErrorsResponseSchema },
    errors: ['not_found', 'invalid_state'],
  },
  receiveBrevoWebhook: {
    operationId: 'receiveBrevoWebhook', method: 'post', path: '/api/v1/webhooks/brevo/:integrationId', tag: 'webhooks', auth: 'none',
    summary: "Brevo marketing webhook (contact_updated, contact_deleted, unsubscribed) of one integration, authenticated by the integration's bearer secret; stored once, applied by the worker",
    params: brevoWebhookParamsSchema, body: brevoWebhookBodySchema,
    response: { status: 200, description: 'Stored (a redelivery is counted as a duplicate, not stored again)', schema: brevoWebhookResponseSchema },
    // Missing or wrong secret (an unknown integration looks the same), checked before the body is read; a body that is not JSON;
    // limited per address (failed authentications) and per integration; not stored → Brevo must redeliver.
    errors: ['unauthorized', 'unsupported_media_type', 'rate_limited', 'webhook_not_stored'],
  },
  setAccountBrevoKey: {
    operationId: 'setAccountBrevoKey', method: 'put', path: '/admin/v1/accounts/:accountId/brevo', tag: 'admin', auth: 'admin',
    summary: "Set an account's Brevo API key (stored encrypted), the key's name and the notification email",
    params: accountParamsSchema, body: setBrevoKeyBodySchema,
    response: { status: 200, description: 'The account (never the key)', schema: adminAccountResponseSchema },
    errors: [],
  },
  healthz: {
    operationId: 'healthz', method: 'get', path: '/healthz', tag: 'operations', auth: 'none',
    summary: 'Liveness: the process answers',
    response: { status: 200, description: 'Alive', schema: z.object({ status: z.literal('ok') }) },
    errors: [],
  },
  readyz: {
    operationId: 'readyz', method: 'get', path: '/readyz', tag: 'operations', auth: 'none',
    summary: 'Readiness: the database answers a ping',
    response: { status: 200, description: 'Ready', schema: z.object({ status: z.literal('ready') }) },
    errors: ['service_unavailable'],
  },
  metrics: {
    operationId: 'metrics', method: 'get', path: '/metrics', tag: 'operations', auth: 'metrics-token',
    summary: 'Prometheus metrics; with METRICS_TOKEN set, only with it as a bearer token; in production not served without one (404)',
    response: { status: 200, description: 'Prometheus text format', contentType: 'text/plain' },
    errors: ['not_found'],
  },
  openapi: {
    operationId: 'getOpenApiDocument', method: 'get', path: '/api/v1/openapi.json', tag: 'operations', auth: 'none',
    summary: 'This document',
    response: { status: 200, description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) },
    errors: [],
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof ROUTES;
