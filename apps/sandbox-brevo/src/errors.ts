import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

/**
 * Brevo's error model: every failure is `{ code, message }` (the contacts API
 * adds `metadata`, e.g. `{ duplicate_identifiers: ['email'] }`). The codes are
 * the ones listed in the SDK's `ContactErrorModel` / `BadRequestErrorBody`
 * (`@getbrevo/brevo` 6.0.3, dist/cjs/api/types). Messages copy what Brevo
 * answers where it is known from public reports; they are not a contract.
 */
export type BrevoErrorCode =
  | 'invalid_parameter'
  | 'missing_parameter'
  | 'document_not_found'
  | 'duplicate_parameter'
  | 'method_not_allowed'
  | 'out_of_range'
  | 'unauthorized'
  | 'permission_denied'
  | 'bad_request'
  | 'too_many_requests'
  | 'internal_error'
  | 'service_unavailable';

export class BrevoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: BrevoErrorCode,
    message: string,
    readonly metadata?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'BrevoApiError';
  }

  toBody(): Record<string, unknown> {
    return this.metadata ? { code: this.code, message: this.message, metadata: this.metadata } : { code: this.code, message: this.message };
  }
}

export const invalid = (message: string) => new BrevoApiError(400, 'invalid_parameter', message);
export const missing = (message: string) => new BrevoApiError(400, 'missing_parameter', message);
export const outOfRange = (message: string) => new BrevoApiError(400, 'out_of_range', message);
export const notFound = (message: string) => new BrevoApiError(404, 'document_not_found', message);
export const duplicate = (message: string, identifiers: string[]) =>
  new BrevoApiError(400, 'duplicate_parameter', message, { duplicate_identifiers: identifiers });

export function sendError(res: Response, error: BrevoApiError): void {
  res.status(error.status).json(error.toBody());
}

/** Bodies of errors raised by fault injection and overload, in Brevo's shape. */
export function faultBody(status: number): { code: string; message: string } {
  if (status === 429) return { code: 'too_many_requests', message: 'The expected rate limit is exceeded.' };
  if (status === 503) return { code: 'service_unavailable', message: 'Service temporarily unavailable' };
  return { code: 'internal_error', message: 'Internal Server Error' };
}

/** Unknown /v3 paths: Brevo answers 404 with its own model, never HTML. */
export const notFoundRoute: RequestHandler = (_req, res) => {
  res.status(404).json({ code: 'not_found', message: 'Invalid route' });
};

/**
 * Last error handler: malformed JSON and oversized bodies become Brevo 400s;
 * anything unexpected becomes a generic 500 body (no stack trace leaks out).
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof BrevoApiError) return sendError(res, error);
  const type = (error as { type?: string }).type;
  if (type === 'entity.parse.failed') return sendError(res, invalid('Invalid JSON in request body'));
  if (type === 'entity.too.large') {
    return res.status(413).json({ code: 'invalid_parameter', message: 'Request body is too large' });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(res, invalid('Unsupported body encoding'));
  console.error('brevo sandbox: unexpected error', error);
  res.status(500).json(faultBody(500));
};
