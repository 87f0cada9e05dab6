import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { SandboxRequest } from './request-context.ts';

/**
 * Brevo's documented rate limits (developers.brevo.com/docs/api-limits,
 * "General rate limits" for all plans, "Advanced" for Professional and
 * Enterprise), per API key, as fixed windows:
 *
 * | bucket                                   | general            | advanced            |
 * | POST /smtp/email, GET /smtp/blockedContacts | 1,000 RPS, 3.6M RPH | 2,000 RPS, 7.2M RPH |
 * | GET /smtp/emails                         | 2 RPS, 7,200 RPH   | 3 RPS, 10,800 RPH   |
 * | POST /events                             | 10 RPS, 36,000 RPH | 20 RPS, 72,000 RPH  |
 * | other /smtp/*                            | 300 RPH            | 600 RPH             |
 * | /contacts/*                              | 10 RPS, 36,000 RPH | 20 RPS, 72,000 RPH  |
 * | every other endpoint (account, webhooks, processes…) | 100 RPH | 200 RPH          |
 *
 * Every response of a limited endpoint carries `x-sib-ratelimit-limit`,
 * `x-sib-ratelimit-remaining` and `x-sib-ratelimit-reset` (seconds until the
 * window resets) (developers.brevo.com/docs/limit-headers); when both an RPS
 * and an RPH window apply, the headers describe the one closest to running out.
 * Over the limit: 429 with Brevo's error body, no Retry-After.
 */
export const rateLimitTierSchema = z.enum(['general', 'advanced']);
export type RateLimitTier = z.infer<typeof rateLimitTierSchema>;

interface Window {
  limit: number;
  seconds: number;
}

interface Bucket {
  name: string;
  matches: (method: string, path: string) => boolean;
  windows: Record<RateLimitTier, Window[]>;
}

const rps = (limit: number): Window => ({ limit, seconds: 1 });
const rph = (limit: number): Window => ({ limit, seconds: 3600 });

export const BUCKETS: Bucket[] = [
  {
    name: 'smtp-send',
    matches: (m, p) => (m === 'POST' && p === '/smtp/email') || (m === 'GET' && p === '/smtp/blockedContacts'),
    windows: { general: [rps(1000), rph(3_600_000)], advanced: [rps(2000), rph(7_200_000)] },
  },
  { name: 'smtp-emails', matches: (m, p) => m === 'GET' && p === '/smtp/emails', windows: { general: [rps(2), rph(7200)], advanced: [rps(3), rph(10_800)] } },
  { name: 'events', matches: (m, p) => m === 'POST' && p === '/events', windows: { general: [rps(10), rph(36_000)], advanced: [rps(20), rph(72_000)] } },
  { name: 'smtp', matches: (_m, p) => p.startsWith('/smtp/'), windows: { general: [rph(300)], advanced: [rph(600)] } },
  { name: 'contacts', matches: (_m, p) => p === '/contacts' || p.startsWith('/contacts/'), windows: { general: [rps(10), rph(36_000)], advanced: [rps(20), rph(72_000)] } },
  { name: 'other', matches: () => true, windows: { general: [rph(100)], advanced: [rph(200)] } },
];

export interface RateLimitOptions {
  enabled: boolean;
  tier: RateLimitTier;
  /** Overrides per bucket name, e.g. `{ contacts: [{ limit: 5, seconds: 1 }] }` for tests. */
  overrides?: Record<string, Window[]>;
}

export class RateLimiter {
  private counters = new Map<string, { windowStart: number; count: number }>();

  constructor(
    public options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  reset(): void {
    this.counters.clear();
  }

  /** Counts the request; returns the header values and whether it is over the limit. */
  take(apiKey: string, method: string, path: string): { limit: number; remaining: number; reset: number; exceeded: boolean } {
    const bucket = BUCKETS.find((b) => b.matches(method, path))!;
    const windows = this.options.overrides?.[bucket.name] ?? bucket.windows[this.options.tier];
    const now = this.now();
    let tightest: { limit: number; remaining: number; reset: number } | undefined;
    let exceeded = false;
    for (const window of windows) {
      const size = window.seconds * 1000;
      const windowStart = Math.floor(now / size) * size;
      const key = `${apiKey}|${bucket.name}|${window.seconds}`;
      let counter = this.counters.get(key);
      if (!counter || counter.windowStart !== windowStart) this.counters.set(key, (counter = { windowStart, count: 0 }));
      counter.count++;
      if (counter.count > window.limit) exceeded = true;
      const remaining = Math.max(0, window.limit - counter.count);
      const reset = Math.max(1, Math.ceil((windowStart + size - now) / 1000));
      if (!tightest || remaining / window.limit < tightest.remaining / tightest.limit) tightest = { limit: window.limit, remaining, reset };
    }
    return { ...tightest!, exceeded };
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (!this.options.enabled) return next();
      const { apiKey } = req as SandboxRequest;
      const result = this.take(apiKey, req.method, req.path);
      setRateLimitHeaders(res, result);
      if (result.exceeded) {
        res.status(429).json({ code: 'too_many_requests', message: 'The expected rate limit is exceeded.' });
        return;
      }
      next();
    };
  }
}

export function setRateLimitHeaders(res: Response, values: { limit: number; remaining: number; reset: number }): void {
  res.setHeader('x-sib-ratelimit-limit', String(values.limit));
  res.setHeader('x-sib-ratelimit-remaining', String(values.remaining));
  res.setHeader('x-sib-ratelimit-reset', String(values.reset));
}
