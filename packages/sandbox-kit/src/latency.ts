import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

/**
 * Realistic answer times for an emulated API: every call waits a uniformly
 * random time in [minMs, maxMs] before it is handled (a real Salesforce org
 * answers in 80–150 ms, Brevo in 40–80 ms). Off by default: tests and the
 * other benchmarks measure the product, not the network. Set at start
 * (`*_SANDBOX_LATENCY_MS=80-150`) or through `PUT /__sandbox/latency`.
 */
export const latencyRangeSchema = z
  .object({ minMs: z.number().int().min(0).max(60_000), maxMs: z.number().int().min(0).max(60_000) })
  .strict()
  .refine((range) => range.minMs <= range.maxMs, { error: 'minMs must not be over maxMs' });

export type LatencyRange = z.infer<typeof latencyRangeSchema>;

/** `80-150` (or `100`, a fixed time) as a range; empty or unset: off. For the sandboxes' environment. */
export const latencyEnv = z
  .string()
  .optional()
  .transform((value, context): LatencyRange | null => {
    if (value === undefined || value.trim() === '') return null;
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
    const parsed = match ? latencyRangeSchema.safeParse({ minMs: Number(match[1]), maxMs: Number(match[2] ?? match[1]) }) : undefined;
    if (!parsed?.success) {
      context.addIssue({ code: 'custom', message: 'must be milliseconds as <min>-<max> (e.g. 80-150) or one number, each at most 60000' });
      return z.NEVER;
    }
    return parsed.data;
  });

export class ApiLatency {
  #range: LatencyRange | null;

  constructor(
    range: LatencyRange | null = null,
    private readonly random: () => number = Math.random,
  ) {
    this.#range = range;
  }

  get range(): LatencyRange | null {
    return this.#range;
  }

  /** null: answer at once. */
  set(range: LatencyRange | null): void {
    this.#range = range === null ? null : latencyRangeSchema.parse(range);
  }

  /** The wait for the next call (0 when off). */
  nextDelayMs(): number {
    if (!this.#range) return 0;
    const { minMs, maxMs } = this.#range;
    return minMs + Math.round(this.random() * (maxMs - minMs));
  }

  middleware(): RequestHandler {
    return (_req: Request, _res: Response, next: NextFunction) => {
      const delay = this.nextDelayMs();
      if (delay === 0) return next();
      setTimeout(next, delay);
    };
  }
}
