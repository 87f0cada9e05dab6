import { ROUTES, type WizardStep } from '@contact-sync/api';
import { checkPlan, hasQuotaLeft, IntegrationStatus, quotaMonth, validateActivation, type RuleIssue } from '@contact-sync/rules';
import { mappingOf, mappingSettingsOf, type IntegrationDoc } from '@contact-sync/store';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { HostAuth } from '../middleware/host-auth.ts';
import { mountRoute, type RouteGuards } from '../route.ts';
import { firstIncompleteStep } from '../services/integration-view.ts';
import { loadMappingInputs } from '../services/mapping-inputs.ts';
import { integrationResponse, loadIntegration, runHook } from './helpers.ts';

const { Active, Draft, Error: ErrorStatus, Paused, AuthError, DisabledQuota } = IntegrationStatus;

/** The wizard step an activation issue sends the user back to. */
function stepOf(issue: RuleIssue): WizardStep {
  if (issue.rule === 'R4') return 'consent';
  if (issue.code === 'list_required') return 'list';
  return 'mapping';
}

/**
 * Everything "Save and activate" requires (the rules' validateActivation):
 * R1 plan, R4 consent, R5/R6 mapping re-checked against the live describe
 * and attributes (either may have changed since it was saved), a list, and
 * R16 quota left this month.
 */
async function checkActivation(ctx: BffContext, auth: HostAuth, integration: IntegrationDoc): Promise<void> {
  if (checkPlan(auth.plan)) throw new ApiError('plan_required');
  if (integration.status === AuthError) throw new ApiError('salesforce_reconnect_required');
  const step = firstIncompleteStep(integration);
  if (step !== 'preview') throw new ApiError('integration_incomplete', { nextStep: step });

  const id = integration._id.toHexString();
  const [inputs, quota] = await Promise.all([loadMappingInputs(ctx, integration), ctx.syncFacts.quota(id, quotaMonth(ctx.now()))]);
  const issues = validateActivation({
    plan: auth.plan,
    consent: integration.consent,
    mapping: mappingOf(integration) ?? {},
    mappingSettings: mappingSettingsOf(integration),
    salesforceFields: inputs.salesforceFields,
    brevoAttributes: inputs.brevoAttributes,
    listId: integration.list?.id,
    quota,
  });
  if (issues.some((issue) => issue.code === 'plan_required')) throw new ApiError('plan_required');
  if (issues.some((issue) => issue.code === 'quota_exceeded')) throw new ApiError('quota_exceeded');
  if (issues.length > 0) throw new ApiError('integration_incomplete', { nextStep: stepOf(issues[0]!), issues });
}

export function lifecycleRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {

  mountRoute(router, ctx, guards, ROUTES.activateIntegration, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    if (integration.status === Active || integration.status === ErrorStatus) {
      if (checkPlan(auth.plan)) throw new ApiError('plan_required');
      return integrationResponse(ctx, integration);
    }
    await checkActivation(ctx, auth, integration);
    const activated = await ctx.integrations.transition(auth.accountId, params.id, [Draft, Paused, DisabledQuota], Active, { activatedAt: ctx.now() });
    if (!activated) throw new ApiError('invalid_state', { status: (await loadIntegration(ctx, auth, params.id)).status });
    await runHook(ctx, 'onActivated', ctx.hooks.onActivated && (() => ctx.hooks.onActivated!(activated)));
    return integrationResponse(ctx, activated);
  });

  mountRoute(router, ctx, guards, ROUTES.pauseIntegration, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    if (integration.status === Paused) return integrationResponse(ctx, integration);
    const paused = await ctx.integrations.transition(auth.accountId, params.id, [Active, ErrorStatus], Paused);
    if (!paused) throw new ApiError('invalid_state', { status: integration.status });
    await runHook(ctx, 'onPaused', ctx.hooks.onPaused && (() => ctx.hooks.onPaused!(paused)));
    return integrationResponse(ctx, paused);
  });

  mountRoute(router, ctx, guards, ROUTES.resumeIntegration, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    if (checkPlan(auth.plan)) throw new ApiError('plan_required');
    if (integration.status === Active || integration.status === ErrorStatus) return integrationResponse(ctx, integration);
    if (integration.status !== Paused) throw new ApiError('invalid_state', { status: integration.status });
    const quota = await ctx.syncFacts.quota(params.id, quotaMonth(ctx.now()));
    if (!hasQuotaLeft(quota.used, quota.limit)) throw new ApiError('quota_exceeded');
    const resumed = await ctx.integrations.transition(auth.accountId, params.id, [Paused], Active);
    if (!resumed) throw new ApiError('invalid_state', { status: (await loadIntegration(ctx, auth, params.id)).status });
    await runHook(ctx, 'onActivated', ctx.hooks.onActivated && (() => ctx.hooks.onActivated!(resumed)));
    return integrationResponse(ctx, resumed);
  });

}
