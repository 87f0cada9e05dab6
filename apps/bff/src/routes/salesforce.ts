import { ROUTES, SALESFORCE_CONNECTED_MESSAGE, type SalesforceConnectedMessage } from '@contact-sync/api';
import express, { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { mountRoute, type RouteGuards } from '../route.ts';
import { renderCallbackPage } from '../services/callback-page.ts';
import { completeSalesforceConnect, startSalesforceConnect } from '../services/salesforce-connect.ts';
import { loadIntegration } from './helpers.ts';

export function salesforceRoutes(ctx: BffContext, guards: RouteGuards): Router {
  const router = express.Router();
  const openerOrigins = [...new Set([...ctx.config.WEB_ORIGINS, ...ctx.config.ALLOWED_HOST_ORIGINS])];

  mountRoute(router, ctx, guards, ROUTES.startSalesforceConnect, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    return { json: { authorizeUrl: await startSalesforceConnect(ctx, auth, integration) } };
  });

  // No host token here: the popup arrives from Salesforce. The single-use state is the credential.
  router.get(ROUTES.salesforceOAuthCallback.path, guards.addressRateLimit);
  mountRoute(router, ctx, guards, ROUTES.salesforceOAuthCallback, async ({ query }) => {
    const outcome = await completeSalesforceConnect(ctx, query).catch((error: unknown) => {
      ctx.logger.error({ err: error }, 'salesforce callback failed');
      return { ok: false as const, integrationId: null, error: 'internal_error' as const };
    });
    ctx.metrics.oauthCallbacks.inc({ outcome: outcome.ok ? 'ok' : outcome.error });
    const message: SalesforceConnectedMessage = {
      type: SALESFORCE_CONNECTED_MESSAGE,
      integrationId: outcome.integrationId,
      ok: outcome.ok,
      ...(outcome.ok ? {} : { error: outcome.error }),
    };
    return { ...renderCallbackPage(message, openerOrigins) };
  });

  return router;
}
