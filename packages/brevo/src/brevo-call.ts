import { BrevoError } from '@getbrevo/brevo';

/** The x-sib-ratelimit-* headers of a Brevo response, when present. */
export interface BrevoRateLimit {
  limit?: number;
  remaining?: number;
  /** Seconds until the window resets. */
  resetSeconds?: number;
}

export interface HeaderBag {
  get(name: string): string | null;
}

export function readRateLimit(headers: HeaderBag | undefined | null): BrevoRateLimit {
  if (!headers || typeof headers.get !== 'function') return {};
  const number = (name: string) => {
    const value = headers.get(name);
    if (value === null || value.trim() === '') return undefined;
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  };
  const out: BrevoRateLimit = {};
  const limit = number('x-sib-ratelimit-limit');
  const remaining = number('x-sib-ratelimit-remaining');
  const reset = number('x-sib-ratelimit-reset');
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  if (reset !== undefined) out.resetSeconds = reset;
  return out;
}

/** Brevo's error body `{ code, message }` from an SDK error, when it has one. */
export function brevoErrorBody(error: unknown): { code?: string; message?: string } | null {
  if (!(error instanceof BrevoError)) return null;
  const body = error.body as { code?: unknown; message?: unknown } | undefined;
  if (!body || typeof body !== 'object') return null;
  return {
    ...(typeof body.code === 'string' ? { code: body.code } : {}),
    ...(typeof body.message === 'string' ? { message: body.message } : {}),
  };
}

export function brevoStatus(error: unknown): number | undefined {
  return error instanceof BrevoError ? error.statusCode : undefined;
}
