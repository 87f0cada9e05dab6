import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <secret>`, compared in constant time (the admin API's ADMIN_SECRET, /metrics' METRICS_TOKEN). */
export function createBearerAuth(secret: string): RequestHandler {
  const expected = digest(secret);
  return (req: Request, _res: Response, next: NextFunction) => {
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) return next(new ApiError('unauthorized'));
    next();
  };
}
