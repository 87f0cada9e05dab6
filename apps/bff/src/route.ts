import type { RouteDefinition } from '@contact-sync/api';
import { issuesFromZodError } from '@contact-sync/rules';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { BffContext } from './context.ts';
import { ApiError, validationFailed } from './errors.ts';
import { authOf, type HostAuth } from './middleware/host-auth.ts';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<R extends RouteDefinition> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  body: Parsed<R['body']>;
  /** The caller (host-jwt routes only). */
  auth: R['auth'] extends 'host-jwt' ? HostAuth : undefined;
  req: Request;
  res: Response;
}

/** A JSON answer serialized once and sent many times (the cached integration list), with its ETag. */
export interface SerializedJson {
  bytes: Buffer;
  etag: string;
}

/** What `res.type('json')` sets, without looking it up (mime-types) for each answer. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function serializeJson(value: unknown): SerializedJson {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  return { bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
}

export type RouteResult =
  | { status?: number; json: unknown }
  | { status?: number; serialized: SerializedJson }
  | { status?: number; html: string; headers?: Record<string, string> }
  | { status: 204 };

export type RouteHandler<R extends RouteDefinition> = (input: RouteInput<R>) => Promise<RouteResult>;

/** The guards each kind of route gets before validation. */
export interface RouteGuards {
  hostAuth: RequestHandler;
  accountRateLimit: RequestHandler;
  adminAuth: RequestHandler;
  addressRateLimit: RequestHandler;
  /** JSON body parser (size-limited); mounted only on routes that take a body, after authentication. */
  jsonBody: RequestHandler;
}

function guardsFor(route: RouteDefinition, guards: RouteGuards): RequestHandler[] {
  const body = route.body ? [guards.jsonBody] : [];
  if (route.auth === 'host-jwt') return [guards.hostAuth, guards.accountRateLimit, ...body];
  if (route.auth === 'admin') return [guards.addressRateLimit, guards.adminAuth, ...body];
  return body;
}

function parse(route: RouteDefinition, req: Request) {
  const params = route.params?.safeParse(req.params);
  // A malformed id names nothing that exists: not found, not a validation error.
  if (params && !params.success) throw route.auth === 'admin' ? validationFailed(issuesFromZodError(params.error)) : new ApiError('not_found');
  const query = route.query?.safeParse(req.query ?? {});
  if (query && !query.success) throw validationFailed(issuesFromZodError(query.error));
  const body = route.body?.safeParse(req.body);
  if (body && !body.success) throw validationFailed(issuesFromZodError(body.error));
  return { params: params?.data, query: query?.data, body: body?.data };
}

/**
 * Mounts one route of the @contact-sync/api route table: its guards, request
 * validation with the route's own schemas (the ones in the OpenAPI
 * document), then the handler. With `validateResponses`, a JSON response that
 * does not match the documented schema fails loudly (500) instead of drifting.
 */
export function mountRoute<R extends RouteDefinition>(
  router: Router,
  ctx: BffContext,
  guards: RouteGuards,
  route: R,
  handler: RouteHandler<R>,
): void {
  const run = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const { params, query, body } = parse(route, req);
      const auth = route.auth === 'host-jwt' ? authOf(res) : undefined;
      const result = await handler({ params, query, body, auth, req, res } as RouteInput<R>);
      const checkSchema = (json: () => unknown) => {
        if (!ctx.validateResponses || !('schema' in route.response)) return;
        const checked = route.response.schema.safeParse(json());
        if (!checked.success) throw new Error(`${route.operationId}: response does not match its schema: ${checked.error.message}`);
      };
      if ('json' in result) {
        checkSchema(() => result.json);
        res.status(result.status ?? route.response.status).json(result.json);
      } else if ('serialized' in result) {
        checkSchema(() => JSON.parse(result.serialized.bytes.toString('utf8')));
        // Express answers 304 to a matching If-None-Match, and keeps this ETag instead of hashing the bytes again.
        res.setHeader('ETag', result.serialized.etag);
        res.setHeader('Content-Type', JSON_CONTENT_TYPE);
        res.status(result.status ?? route.response.status).send(result.serialized.bytes);
      } else if ('html' in result) {
        res.status(result.status ?? 200).set(result.headers ?? {}).type('html').send(result.html);
      } else {
        res.status(204).end();
      }
    } catch (error) {
      next(error);
    }
  };
  router[route.method](route.path, ...guardsFor(route, guards), run);
}
