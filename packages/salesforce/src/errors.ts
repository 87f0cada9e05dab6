import { isNetworkError, type RetryDecision } from '@contact-sync/retry';

/**
 * What went wrong talking to Salesforce, for the retry policy and for the
 * integration's status. jsforce errors carry the REST `errorCode` as `name`
 * (or `ERROR_HTTP_<status>` when the body was not Salesforce JSON) and OAuth
 * errors the OAuth `error` (`invalid_grant`, …).
 */
export type SalesforceErrorKind =
  /** Refresh token revoked or expired, or the org keeps refusing fresh tokens: status auth_error. */
  | 'auth_revoked'
  /** The user or org has "API Enabled" off. */
  | 'api_disabled'
  /** The org's daily API request limit (REQUEST_LIMIT_EXCEEDED): wait, do not hammer. */
  | 'request_limit'
  /** 420/429 or 5xx or a dropped connection: retry with backoff. */
  | 'transient'
  /** A request Salesforce refused (bad field, malformed query, …): do not retry. */
  | 'refused';

export interface SalesforceErrorClass extends RetryDecision {
  kind: SalesforceErrorKind;
  /** Salesforce's code (`API_DISABLED_FOR_ORG`, `invalid_grant`, `ERROR_HTTP_503`, …) when known. */
  code?: string;
}

/** Thrown when the connection's refresh token was refused: the user must reconnect. */
export class SalesforceAuthRevokedError extends Error {
  readonly code = 'salesforce_auth_revoked';
  constructor(
    readonly reason: 'invalid_grant' | 'refresh_loop' | 'no_refresh_token',
    options?: { cause?: unknown },
  ) {
    super(`Salesforce refused to refresh the session (${reason}); the user must reconnect`, options);
    this.name = 'SalesforceAuthRevokedError';
  }
}

const API_DISABLED = new Set(['API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED', 'FUNCTIONALITY_NOT_ENABLED']);
const AUTH_REVOKED = new Set(['invalid_grant', 'INVALID_SESSION_ID', 'INVALID_AUTH_HEADER', 'inactive_user', 'inactive_org']);
const TRANSIENT = new Set(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'QUERY_TIMEOUT', 'REQUEST_RUNNING_TOO_LONG']);

function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code === 'string') return code;
  return error.name !== 'Error' ? error.name : undefined;
}

export function classifySalesforceError(error: unknown): SalesforceErrorClass {
  if (error instanceof SalesforceAuthRevokedError) return { retry: false, kind: 'auth_revoked', code: error.reason, reason: 'auth_revoked' };
  if (isNetworkError(error)) return { retry: true, kind: 'transient', reason: 'network' };
  const code = errorCodeOf(error);
  if (code === undefined) return { retry: false, kind: 'refused', reason: 'unknown' };
  if (API_DISABLED.has(code)) return { retry: false, kind: 'api_disabled', code, reason: 'api_disabled' };
  if (AUTH_REVOKED.has(code)) return { retry: false, kind: 'auth_revoked', code, reason: 'auth_revoked' };
  if (code === 'REQUEST_LIMIT_EXCEEDED') return { retry: false, kind: 'request_limit', code, reason: 'request_limit' };
  if (TRANSIENT.has(code)) return { retry: true, kind: 'transient', code, reason: code.toLowerCase() };
  const status = /^ERROR_HTTP_(\d{3})$/.exec(code)?.[1];
  if (status && (status === '420' || status === '429' || status.startsWith('5'))) {
    return { retry: true, kind: 'transient', code, reason: `http_${status}` };
  }
  return { retry: false, kind: 'refused', code, reason: 'refused' };
}
