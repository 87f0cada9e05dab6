import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.ts';
import { authOf } from './host-auth.ts';

const tooMany = (_req: Request, _res: Response, next: NextFunction) => next(new ApiError('rate_limited'));

/** The account limit's window (a fixed window per account, as express-rate-limit's memory store counts). */
const ACCOUNT_WINDOW_MS = 60_000;

/** express-rate-limit's `pk` of a key in its draft-8 `RateLimit-Policy`: the first 12 hex digits of its SHA-256, in base64. */
function partitionKey(key: string): string {
  return Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');
}

interface AccountWindow {
  hits: number;
  /** When this window ends (ms since the epoch). */
  endsAt: number;
  /** The `RateLimit-Policy` header: the same for every answer to the account. */
  policy: string;
}

/**
 * Per account (from the verified token), so one tenant cannot starve the
 * others. In-memory per process: with several BFF processes each allows the
 * limit; a shared store would make it global.
 *
 * Every host route passes through it, so it is written for that: synchronous,
 * with the account's `RateLimit-Policy` worked out once per window. It counts
 * as express-rate-limit did here (a fixed window of a minute from the
 * account's first request, every request counted, refused ones too) and sends
 * the same headers (draft-8 `RateLimit` and `RateLimit-Policy`, `Retry-After`
 * on a 429); express-rate-limit cost about a twentieth of the BFF's CPU per
 * cached list answer (awaits, and a SHA-256 of the key for every answer).
 */
export function createAccountRateLimit(perMinute: number, clock: () => number = Date.now): RequestHandler {
  const name = `"${perMinute}-in-1min"`;
  const windows = new Map<string, AccountWindow>();
  let sweepAt = clock() + ACCOUNT_WINDOW_MS;
  return (_req: Request, res: Response, next: NextFunction) => {
    const now = clock();
    if (now >= sweepAt) {
      // Once a window, the accounts whose window has ended are forgotten: the map holds the last minute's accounts.
      for (const [accountId, window] of windows) if (window.endsAt <= now) windows.delete(accountId);
      sweepAt = now + ACCOUNT_WINDOW_MS;
    }
    const { accountId } = authOf(res);
    let window = windows.get(accountId);
    if (!window) {
      window = { hits: 0, endsAt: now + ACCOUNT_WINDOW_MS, policy: `${name}; q=${perMinute}; w=60; pk=:${partitionKey(`account:${accountId}`)}:` };
      windows.set(accountId, window);
    } else if (window.endsAt <= now) {
      window.hits = 0;
      window.endsAt = now + ACCOUNT_WINDOW_MS;
    }
    window.hits += 1;
    const resetSeconds = Math.max(0, Math.ceil((window.endsAt - now) / 1000));
    res.setHeader('RateLimit', `${name}; r=${Math.max(perMinute - window.hits, 0)}; t=${resetSeconds}`);
    res.setHeader('RateLimit-Policy', window.policy);
    if (window.hits > perMinute) {
      res.setHeader('Retry-After', String(resetSeconds));
      return next(new ApiError('rate_limited'));
    }
    next();
  };
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
