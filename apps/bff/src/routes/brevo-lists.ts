import { ROUTES } from '@contact-sync/api';
import { createList, listLists } from '@contact-sync/brevo';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { mountRoute, type RouteGuards } from '../route.ts';
import { brevoClientFor, brevoFailure, REQUEST_RETRY } from '../services/brevo-access.ts';

export function brevoListRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {

  mountRoute(router, ctx, guards, ROUTES.listBrevoLists, async ({ auth, query }) => {
    const brevo = await brevoClientFor(ctx, auth.accountId);
    const page = await listLists(brevo, query, REQUEST_RETRY).catch((error: unknown) => {
      throw brevoFailure(error);
    });
    return { json: { ...page, offset: query.offset, limit: query.limit } };
  });

  mountRoute(router, ctx, guards, ROUTES.createBrevoList, async ({ auth, body }) => {
    const brevo = await brevoClientFor(ctx, auth.accountId);
    const list = await createList(brevo, body.name, REQUEST_RETRY).catch((error: unknown) => {
      throw brevoFailure(error);
    });
    return { status: 201, json: list };
  });

}
