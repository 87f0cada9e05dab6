import { ROUTES, SALESFORCE_AUTHORIZED_MESSAGE, type SalesforceAuthorizedMessage } from '@contact-sync/api';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { mountRoute, type RouteGuards } from '../route.ts';
import { renderCallbackPage } from '../services/callback-page.ts';
import { completeSalesforceConnect, startSalesforceConnect } from '../services/salesforce-connect.ts';
import { integrationResponse, loadIntegration } from './helpers.ts';

export function salesforceRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {
  const openerOrigins = [...new Set([...ctx.config.WEB_ORIGINS, ...ctx.config.ALLOWED_HOST_ORIGINS])];

  mountRoute(router, ctx, guards, ROUTES.startSalesforceConnect, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    return { json: { authorizeUrl: await startSalesforceConnect(ctx, auth, integration) } };
  });

  // The opener that started the sign-in completes it with its own host token (see completeSalesforceConnect).
  mountRoute(router, ctx, guards, ROUTES.completeSalesforceConnect, async ({ auth, params, body }) => {
    await loadIntegration(ctx, auth, params.id);
    const outcome = await completeSalesforceConnect(ctx, auth, params.id, body);
    ctx.metrics.salesforceConnections.inc({ outcome: outcome.ok ? 'ok' : outcome.error });
    if (!outcome.ok) throw new ApiError(outcome.error);
    return integrationResponse(ctx, outcome.integration);
  });

  // No host token here: the popup arrives from Salesforce. The page only relays what Salesforce sent to
  // the window that opened it; nothing is read or stored, so an authorize link followed elsewhere connects nothing.
  router.get(ROUTES.salesforceOAuthCallback.path, guards.addressRateLimit);
  mountRoute(router, ctx, guards, ROUTES.salesforceOAuthCallback, async ({ query, req }) => {
    const message: SalesforceAuthorizedMessage = {
      type: SALESFORCE_AUTHORIZED_MESSAGE,
      state: query.state ?? null,
      code: query.error ? null : (query.code ?? null),
      error: query.error ? (query.error === 'access_denied' ? 'oauth_denied' : 'oauth_failed') : query.code && query.state ? null : 'oauth_failed',
    };
    return renderCallbackPage(message, openerOrigins, req.acceptsLanguages('en', 'it') === 'it' ? 'it' : 'en');
  });

}
