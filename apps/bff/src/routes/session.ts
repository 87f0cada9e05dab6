import { INTEGRATION_KIND_LIST, ROUTES } from '@contact-sync/api';
import { checkPlan, REQUIRED_PLAN } from '@contact-sync/rules';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { mountRoute, type RouteGuards } from '../route.ts';
import { isBrevoConfigured } from '../services/brevo-access.ts';

export function sessionRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {
  mountRoute(router, ctx, guards, ROUTES.getSession, async ({ auth }) => ({
    json: {
      accountId: auth.accountId,
      user: { id: auth.userId, email: auth.email, locale: auth.locale },
      plan: auth.plan,
      canActivate: checkPlan(auth.plan) === null,
      requiredPlan: REQUIRED_PLAN,
      brevoConfigured: await isBrevoConfigured(ctx, auth.accountId),
      kinds: INTEGRATION_KIND_LIST,
    },
  }));
}
