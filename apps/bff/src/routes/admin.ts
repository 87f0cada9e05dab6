import { ROUTES } from '@contact-sync/api';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { mountRoute, type RouteGuards } from '../route.ts';

/** Host-to-BFF administration, authenticated by ADMIN_SECRET. */
export function adminRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {
  mountRoute(router, ctx, guards, ROUTES.setAccountBrevoKey, async ({ params, body }) => {
    const account = await ctx.accounts.setBrevoKey(params.accountId, body);
    ctx.logger.info({ accountId: params.accountId }, 'brevo api key set');
    return {
      json: {
        accountId: account.accountId,
        brevoConfigured: account.brevoApiKey != null,
        brevoApiKeyName: account.brevoApiKeyName ?? null,
        // Absent until one is set: the document says null, never a missing field.
        notificationEmail: account.notificationEmail ?? null,
        updatedAt: new Date(account.updatedAt).toISOString(),
      },
    };
  });
}
