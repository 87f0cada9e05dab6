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

/**
 * The Brevo webhook route's two limits, apart from the API's: failed
 * authentications per client address (only 401s count, so Brevo's own
 * deliveries from an address are not held against it), and authenticated
 * deliveries per integration (only a holder of the secret can spend them).
 * Brevo redelivers after a 429, so a limited delivery is late, not lost.
 */
export function createWebhookRateLimits(config: { WEBHOOK_AUTH_FAILURES_PER_MINUTE: number; WEBHOOK_RATE_LIMIT_PER_MINUTE: number }) {
  return {
    authenticationFailures: rateLimit({
      windowMs: 60_000,
      limit: config.WEBHOOK_AUTH_FAILURES_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      handler: tooMany,
    }),
    perIntegration: rateLimit({
      windowMs: 60_000,
      limit: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => `webhook:${String(req.params.integrationId)}`,
      handler: tooMany,
    }),
  };
}
