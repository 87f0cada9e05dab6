import type { ErrorResponse } from '@contact-sync/api';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors.ts';
import { noteRequestError } from './request-log.ts';

/**
 * Errors meaning "the database is not reachable right now": the driver's,
 * and mongoose's own when an operation waited in its buffer for a connection.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (typeof name !== 'string') return false;
  if (/^(MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoNotConnectedError|MongoTopologyClosedError|MongooseServerSelectionError)$/.test(name)) return true;
  return name === 'MongooseError' && typeof message === 'string' && /buffering timed out|Client must be connected/.test(message);
}

/** A path whose percent-encoding does not decode (the router's URIError, status 400): the client's mistake. */
function fromUrl(error: unknown): ApiError | null {
  return error instanceof URIError && (error as { status?: unknown }).status === 400 ? new ApiError('malformed_request') : null;
}

/**
 * The one error handler: ApiError → its status and code (the body parser's
 * failures are ApiErrors already, see json-body.ts); a path that does not
 * decode and database outages → their codes; anything else → 500
 * `internal_error` with the generic message (the error itself is logged,
 * never answered).
 */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  let apiError = error instanceof ApiError ? error : fromUrl(error);
  if (!apiError && isDatabaseUnavailable(error)) apiError = new ApiError('service_unavailable');
  if (!apiError) {
    req.log?.error({ err: error }, 'unhandled error');
    apiError = new ApiError('internal_error');
  } else if (apiError.status >= 500) {
    req.log?.warn({ code: apiError.code, cause: (error as Error).message }, 'request failed');
  }
  if (apiError.status >= 500) noteRequestError(res, error);
  if (res.headersSent) {
    res.end();
    return;
  }
  if (apiError.code === 'service_unavailable' || apiError.code === 'upstream_rate_limited' || apiError.code === 'webhook_not_stored') {
    res.set('Retry-After', '5');
  }
  const body: ErrorResponse = {
    error: { code: apiError.code, message: apiError.message, ...(apiError.details ? { details: apiError.details } : {}) },
  };
  res.status(apiError.status).json(body);
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new ApiError('not_found'));
}
