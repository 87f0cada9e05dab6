import { bearerMatcher } from '@contact-sync/secrets';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../errors.ts';

/** `Authorization: Bearer <secret>`, compared in constant time (the admin API's ADMIN_SECRET). */
export function createBearerAuth(secret: string): RequestHandler {
  const matches = bearerMatcher(secret);
  return (req: Request, _res: Response, next: NextFunction) => next(matches(req.get('authorization')) ? undefined : new ApiError('unauthorized'));
}
