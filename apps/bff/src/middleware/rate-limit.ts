import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ApiError } from '../errors.ts';
import { authOf } from './host-auth.ts';

const tooMany = (_req: Request, _res: Response, next: NextFunction) => next(new ApiError('rate_limited'));

/**
 * Per account (from the verified token), so one tenant cannot starve the
 * others. In-memory per process: with several BFF processes each allows the
 * limit; a shared store (rate-limit-mongo/redis) would make it global.
 */
export function createAccountRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `account:${authOf(res).accountId}`,
    handler: tooMany,
  });
}

/** Unauthenticated routes (OAuth callback, admin): per client address. */
export function createAddressRateLimit(perMinute: number): RequestHandler {
  return rateLimit({ windowMs: 60_000, limit: perMinute, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany });
}
