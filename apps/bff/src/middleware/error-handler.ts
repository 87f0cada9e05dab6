import type { ErrorResponse } from '@contact-sync/api';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors.ts';

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

/** Body-parser failures carry a `type`. */
function fromBodyParser(error: unknown): ApiError | null {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new ApiError('invalid_json');
  if (type === 'entity.too.large') return new ApiError('payload_too_large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ApiError('validation_failed', { issues: [] });
  return null;
}

/**
 * The one error handler: ApiError → its status and code; body-parser and
 * database outages → their codes; anything else → 500 `internal_error` with
 * the generic message (the error itself is logged, never answered).
 */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  let apiError = error instanceof ApiError ? error : fromBodyParser(error);
  if (!apiError && isDatabaseUnavailable(error)) apiError = new ApiError('service_unavailable');
  if (!apiError) {
    req.log?.error({ err: error }, 'unhandled error');
    apiError = new ApiError('internal_error');
  } else if (apiError.status >= 500) {
    req.log?.warn({ code: apiError.code, cause: (error as Error).message }, 'request failed');
  }
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
