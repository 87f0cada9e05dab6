import { API_ERRORS, type ApiErrorCode } from '@contact-sync/api';
import type { RuleIssue } from '@contact-sync/rules';

/**
 * The one error the routes throw: a stable code from @contact-sync/api, its
 * HTTP status, the catalogue message and optional details. The error handler
 * turns it into `{ error: { code, message, details } }`; anything else is a 500.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    readonly details?: Record<string, unknown>,
    message?: string,
  ) {
    super(message ?? API_ERRORS[code].message);
    this.name = 'ApiError';
    this.status = API_ERRORS[code].status;
  }
}

export function apiError(code: ApiErrorCode, details?: Record<string, unknown>): ApiError {
  return new ApiError(code, details);
}

export function validationFailed(issues: readonly RuleIssue[]): ApiError {
  return new ApiError('validation_failed', { issues });
}

export const notFound = (): ApiError => new ApiError('not_found');
