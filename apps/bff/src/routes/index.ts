import type { Router } from 'express';
import type { BffContext } from '../context.ts';
import type { RouteGuards } from '../route.ts';
import { adminRoutes } from './admin.ts';
import { brevoListRoutes } from './brevo-lists.ts';
import { brevoWebhookRoutes } from './brevo-webhooks.ts';
import { integrationRoutes } from './integrations.ts';
import { lifecycleRoutes } from './lifecycle.ts';
import { operationsRoutes } from './operations.ts';
import { salesforceRoutes } from './salesforce.ts';
import { sessionRoutes } from './session.ts';
import { syncRoutes } from './sync.ts';
import { wizardRoutes } from './wizard.ts';

/** Mounts a resource's routes on the app's one router (a router per module would be one more pass per request). */
export type RouteModule = (router: Router, ctx: BffContext, guards: RouteGuards) => void;

/**
 * One module per resource. To add one (sync runs, preview, webhooks…): write
 * `routes/<resource>.ts` exporting a RouteModule that mounts routes of the
 * @contact-sync/api table with `mountRoute`, and list it here.
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  // First: each route a request is matched against on its way costs it, and the integration list is the most requested route.
  integrationRoutes,
  operationsRoutes,
  sessionRoutes,
  salesforceRoutes,
  wizardRoutes,
  brevoListRoutes,
  lifecycleRoutes,
  syncRoutes,
  brevoWebhookRoutes,
  adminRoutes,
];
