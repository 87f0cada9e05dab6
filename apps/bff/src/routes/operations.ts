import { ROUTES } from '@contact-sync/api';
import { buildOpenApiDocument } from '@contact-sync/api/openapi';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { metricsAccess } from '@contact-sync/secrets';
import { ApiError } from '../errors.ts';
import { mountRoute, type RouteGuards } from '../route.ts';

const PING_TIMEOUT_MS = 2_000;

async function pingDatabase(ctx: BffContext): Promise<boolean> {
  const db = ctx.connection.db;
  if (!db || ctx.connection.readyState !== 1) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref());
  return Promise.race([db.admin().ping().then(() => true, () => false), timeout]);
}

/** Health, readiness, metrics and the OpenAPI document. */
export function operationsRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {
  const document = buildOpenApiDocument({ serverUrl: ctx.config.BFF_PUBLIC_URL });

  mountRoute(router, ctx, guards, ROUTES.healthz, async () => ({ json: { status: 'ok' } }));

  mountRoute(router, ctx, guards, ROUTES.readyz, async () => {
    if (!(await pingDatabase(ctx))) throw new ApiError('service_unavailable');
    return { json: { status: 'ready' } };
  });

  // Behind METRICS_TOKEN when one is set; in production only then (Prometheus sends it as a bearer token).
  const access = metricsAccess(ctx.config);
  router.get(ROUTES.metrics.path, async (req, res, next) => {
    const verdict = access(req.get('authorization'));
    if (verdict !== 'served') return next(new ApiError(verdict));
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  mountRoute(router, ctx, guards, ROUTES.openapi, async () => ({ json: document }));

}
