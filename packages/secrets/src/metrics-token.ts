import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const MIN_METRICS_TOKEN_LENGTH = 32;

/**
 * `METRICS_TOKEN` as every process that serves `/metrics` (BFF, worker) reads it: spread into the app's
 * configuration schema. In production also name it among `refineProductionSecrets`' shared secrets.
 */
export const metricsTokenEnv = {
  /** Bearer token that `/metrics` asks for; in production `/metrics` is served only with one. */
  METRICS_TOKEN: z.string().min(MIN_METRICS_TOKEN_LENGTH, `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`).optional(),
};

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether an `Authorization` header is `Bearer <secret>`, compared in constant time (of the digests: any length). */
export function bearerMatcher(secret: string): (authorization: string | undefined) => boolean {
  const expected = digest(secret);
  return (authorization) => {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}

/**
 * `served`: answer the scrape; else the error code both processes answer with: `unauthorized` (401) or
 * `not_found` (404, as if there were no such route).
 */
export type MetricsAccess = 'served' | 'unauthorized' | 'not_found';

/**
 * Who may read `/metrics`: with `METRICS_TOKEN` set, only its bearer (Prometheus' `authorization`
 * credentials); without one, anyone outside production (a developer's curl) and no one in production,
 * where the figures (route latencies, run counts, API call rates) are not for the public.
 */
export function metricsAccess(config: { NODE_ENV: string; METRICS_TOKEN?: string | undefined }): (authorization: string | undefined) => MetricsAccess {
  const token = config.METRICS_TOKEN;
  if (token === undefined) return () => (config.NODE_ENV === 'production' ? 'not_found' : 'served');
  const matches = bearerMatcher(token);
  return (authorization) => (matches(authorization) ? 'served' : 'unauthorized');
}

/** What a process says at start when production leaves `/metrics` closed (null: nothing to say). */
export function metricsClosedWarning(config: { NODE_ENV: string; METRICS_TOKEN?: string | undefined }): string | null {
  return config.NODE_ENV === 'production' && config.METRICS_TOKEN === undefined ? 'METRICS_TOKEN is not set: /metrics is not served' : null;
}
