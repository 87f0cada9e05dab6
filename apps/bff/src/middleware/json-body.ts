import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from '../errors.ts';

/** body-parser's error types that name the client's mistake, and the API's code for each. */
const CLIENT_ERRORS: Record<string, ApiError['code']> = {
  'entity.parse.failed': 'invalid_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
};

/**
 * The JSON body parser, its failures turned into the API's errors here, where
 * they are known to be about the request's body: malformed JSON (400
 * `invalid_json`), too large (413), an encoding or charset it does not read
 * (415), and a body that does not decode as its `Content-Encoding` says, or
 * does not match its length (400 `malformed_request`). Only its own faults
 * (a 5xx) stay server errors.
 */
export function jsonBody(options: { limit: string; type?: string | string[] }): RequestHandler {
  const parse = express.json({ limit: options.limit, strict: true, ...(options.type ? { type: options.type } : {}) });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const { type, status } = error as { type?: unknown; status?: unknown };
      const code = typeof type === 'string' ? CLIENT_ERRORS[type] : undefined;
      if (code) return next(new ApiError(code));
      next(typeof status === 'number' && status >= 400 && status < 500 ? new ApiError('malformed_request') : error);
    });
  };
}
