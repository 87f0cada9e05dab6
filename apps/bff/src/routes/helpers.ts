import type { IntegrationDoc } from '@contact-sync/store';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { HostAuth } from '../middleware/host-auth.ts';
import { toIntegrationDtos } from '../services/integration-view.ts';

/** The caller's integration, or 404 (another account's integration does not exist for them). */
export async function loadIntegration(ctx: BffContext, auth: HostAuth, id: string): Promise<IntegrationDoc> {
  const integration = await ctx.integrations.findForAccount(auth.accountId, id);
  if (!integration) throw new ApiError('not_found');
  return integration;
}

/** One integration's answer: its DTO and how its Salesforce changes arrive (the list leaves that out: one more read per integration). */
export async function integrationResponse(ctx: BffContext, integration: IntegrationDoc | null, status = 200) {
  if (!integration) throw new ApiError('not_found');
  const [[dto], changeDelivery] = await Promise.all([toIntegrationDtos([integration], ctx.syncFacts, ctx.now()), ctx.syncFacts.changeDelivery(integration)]);
  return { status, json: { ...dto!, changeDelivery } };
}

/** Runs a lifecycle hook of the sync engine; its failure is logged, the request still succeeds. */
export async function runHook(ctx: BffContext, name: string, hook: (() => Promise<void> | void) | undefined): Promise<void> {
  if (!hook) return;
  try {
    await hook();
  } catch (error) {
    ctx.logger.error({ err: error, hook: name }, 'integration hook failed');
  }
}
