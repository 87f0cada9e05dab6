import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

/**
 * Fault injection shared by both API sandboxes. A fault matches requests by
 * method and path prefix, fires on a share of them (`probability`) and/or a
 * fixed number of times (`times`), and then answers with an error status,
 * adds latency, drops the connection before handling the request, or handles
 * it and drops the connection instead of answering. Each sandbox renders the
 * error body in its own API's error model.
 */
export const faultSchema = z
  .object({
    /** Only requests whose URL path starts with this, e.g. `/v3/contacts` (the full path, wherever the middleware is mounted). Default: all. */
    pathPrefix: z.string().default('/'),
    method: z
      .enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
      .optional(),
    /** Error status to answer with; omit for latency-only or drop faults. */
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]).optional(),
    /** Extra delay before handling (or before failing). */
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    /** Destroy the socket without answering (the request is not handled). */
    drop: z.boolean().default(false),
    /** Handle the request, then destroy the socket instead of answering: the write happened, the client cannot know. */
    dropResponse: z.boolean().default(false),
    /** Share of matching requests affected, 0..1. */
    probability: z.number().min(0).max(1).default(1),
    /** Stop after firing this many times. Default: until cleared. */
    times: z.number().int().min(1).optional(),
    /** Seconds sent in Retry-After with 429/503. */
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  })
  .strict();

export type FaultInput = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema> & { id: number; fired: number };

export type ErrorRenderer = (res: Response, status: number, fault: Fault) => void;

export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: FaultInput): Fault {
    const fault: Fault = { ...faultSchema.parse(input), id: this.nextId++, fired: 0 };
    this.faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault to apply to this request, if any; counts it as fired. */
  pick(method: string, path: string): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.method && fault.method !== method) continue;
      if (!path.startsWith(fault.pathPrefix)) continue;
      if (fault.times !== undefined && fault.fired >= fault.times) continue;
      if (this.random() >= fault.probability) continue;
      fault.fired += 1;
      return fault;
    }
    return undefined;
  }

  middleware(renderError: ErrorRenderer): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      // baseUrl + path is the path as the client sent it, whatever router the middleware sits in.
      const fault = this.pick(req.method, req.baseUrl + req.path);
      if (!fault) return next();
      const act = () => {
        if (fault.drop) {
          req.socket.destroy();
          return;
        }
        if (fault.dropResponse) {
          // The handler runs to the end; whatever it sends is replaced by a reset connection.
          res.write = () => {
            req.socket.destroy();
            return false;
          };
          res.end = () => {
            req.socket.destroy();
            return res;
          };
          return next();
        }
        if (fault.status === undefined) return next();
        if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
        renderError(res, fault.status, fault);
      };
      if (fault.latencyMs > 0) setTimeout(act, fault.latencyMs);
      else act();
    };
  }
}
