import { ROUTES } from '@contact-sync/api';
import { findList } from '@contact-sync/brevo';
import { checkConsent, describeMappingOptions, recordConsent, salesforceObjectOf, validateMapping } from '@contact-sync/rules';
import { mappingOf, mappingSettingsOf } from '@contact-sync/store';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { ApiError, validationFailed } from '../errors.ts';
import { mountRoute, type RouteGuards } from '../route.ts';
import { brevoClientFor, brevoFailure, REQUEST_RETRY } from '../services/brevo-access.ts';
import { loadMappingInputs } from '../services/mapping-inputs.ts';
import { integrationResponse, loadIntegration } from './helpers.ts';

/** Wizard steps after connecting: consent (R4), mapping (R5, R6), list. */
export function wizardRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {

  mountRoute(router, ctx, guards, ROUTES.putConsent, async ({ auth, params }) => {
    await loadIntegration(ctx, auth, params.id);
    const consent = recordConsent(auth.email || auth.userId, ctx.now());
    return integrationResponse(ctx, await ctx.integrations.setConsent(auth.accountId, params.id, consent));
  });

  mountRoute(router, ctx, guards, ROUTES.getMappingOptions, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    const { salesforceFields, brevoAttributes } = await loadMappingInputs(ctx, integration);
    const options = describeMappingOptions(salesforceFields, brevoAttributes).map((option) => ({
      attribute: option.attribute,
      kind: option.kind,
      issue: option.issue,
      eligibleFields: option.eligibleFields.map((field) => field.name),
      ineligibleFields: option.ineligibleFields.map(({ field, issue }) => ({ field: field.name, issue })),
    }));
    return {
      json: {
        salesforceObject: salesforceObjectOf(integration.kind),
        options,
        salesforceFields,
        brevoAttributes,
        mapping: mappingOf(integration),
        mappingSettings: mappingSettingsOf(integration),
      },
    };
  });

  mountRoute(router, ctx, guards, ROUTES.putMapping, async ({ auth, params, body }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    if (checkConsent(integration.consent)) throw new ApiError('consent_required');
    const { salesforceFields, brevoAttributes } = await loadMappingInputs(ctx, integration);
    const issues = validateMapping(body.mapping, salesforceFields, brevoAttributes, body.settings);
    if (issues.length > 0) throw validationFailed(issues);
    return integrationResponse(ctx, await ctx.integrations.setMapping(auth.accountId, params.id, body.mapping, body.settings));
  });

  mountRoute(router, ctx, guards, ROUTES.putList, async ({ auth, params, body }) => {
    await loadIntegration(ctx, auth, params.id);
    const brevo = await brevoClientFor(ctx, auth.accountId);
    const list = await findList(brevo, body.listId, REQUEST_RETRY).catch((error: unknown) => {
      throw brevoFailure(error);
    });
    if (!list) throw new ApiError('brevo_list_not_found');
    return integrationResponse(ctx, await ctx.integrations.setList(auth.accountId, params.id, { id: list.id, name: list.name }));
  });

}
