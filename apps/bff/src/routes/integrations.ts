import { ROUTES } from '@contact-sync/api';
import { checkPlan } from '@contact-sync/rules';
import { IntegrationNameTakenError } from '@contact-sync/store';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { mountRoute, serializeJson, type RouteGuards } from '../route.ts';
import { toIntegrationDtos } from '../services/integration-view.ts';
import { integrationResponse, loadIntegration, runHook } from './helpers.ts';

const nameTaken = (error: unknown): never => {
  if (error instanceof IntegrationNameTakenError) throw new ApiError('name_taken');
  throw error;
};

export function integrationRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {

  // Served from the account's cached answer (services/account-list-cache.ts: how stale it can be).
  mountRoute(router, ctx, guards, ROUTES.listIntegrations, async ({ auth }) => ({
    serialized: await ctx.listCache.get(auth.accountId, async () => {
      const integrations = await ctx.integrations.listForAccount(auth.accountId);
      return serializeJson({ integrations: await toIntegrationDtos(integrations, ctx.syncFacts, ctx.now()) });
    }),
  }));

  mountRoute(router, ctx, guards, ROUTES.createIntegration, async ({ auth, body }) => {
    if (checkPlan(auth.plan)) throw new ApiError('plan_required');
    const created = await ctx.integrations.create({ accountId: auth.accountId, kind: body.kind, name: body.name }).catch(nameTaken);
    return integrationResponse(ctx, created, 201);
  });

  mountRoute(router, ctx, guards, ROUTES.getIntegration, async ({ auth, params }) =>
    integrationResponse(ctx, await loadIntegration(ctx, auth, params.id)),
  );

  mountRoute(router, ctx, guards, ROUTES.updateIntegration, async ({ auth, params, body }) => {
    const renamed = await ctx.integrations.rename(auth.accountId, params.id, body.name).catch(nameTaken);
    return integrationResponse(ctx, renamed);
  });

  mountRoute(router, ctx, guards, ROUTES.deleteIntegration, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    if (!(await ctx.integrations.delete(auth.accountId, params.id))) throw new ApiError('not_found');
    // R3: the Salesforce account's slot is free again (a crash here leaves a slot the next claim reaps).
    await ctx.slots.release(params.id);
    await runHook(ctx, 'onDeleted', ctx.hooks.onDeleted && (() => ctx.hooks.onDeleted!(integration)));
    return { status: 204 };
  });

}
