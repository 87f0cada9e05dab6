import { ROUTES } from '@contact-sync/api';
import { isSyncing, quotaMonth } from '@contact-sync/rules';
import { createSyncStore, mappingOf, mappingSettingsOf, type SyncStore } from '@contact-sync/store';
import { previewIntegration, type IntegrationSnapshot } from '@contact-sync/sync';
import { RetriesExhaustedError } from '@contact-sync/retry';
import { BrevoError } from '@getbrevo/brevo';
import { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { mountRoute, type RouteGuards } from '../route.ts';
import { brevoClientFor, brevoFailure, REQUEST_RETRY } from '../services/brevo-access.ts';
import { firstIncompleteStep } from '../services/integration-view.ts';
import { describeIntegrationObject, salesforceFailure, salesforceFor } from '../services/salesforce-access.ts';
import { OPEN_ERRORS_READ, recordErrorPage } from '../services/record-error-list.ts';
import { toPreviewDto, toRunDto } from '../services/sync-view.ts';
import { createSyncLifecycle, type SyncLifecycle } from '../sync-hooks.ts';
import { integrationResponse, loadIntegration } from './helpers.ts';

/** Records one retry marks (the latest retryable errors). */
const RETRY_MAX_RECORDS = 1_000;
/** Records of each kind shown as examples in the preview. */
const PREVIEW_SAMPLES = 10;
/** Sampled by the engine (cheap, kept in memory): enough rejected examples that each reason has one to show its message with parameters. */
const PREVIEW_ENGINE_SAMPLES = 500;

/**
 * The sync engine seen from the microfrontend: preview (dry run), Sync now
 * and retry (requests the workers pick up: the BFF never writes to
 * Salesforce or Brevo for a sync), runs and record errors.
 */
export function syncRoutes(router: Router, ctx: BffContext, guards: RouteGuards): void {
  let store: SyncStore | undefined;
  const syncStore = () => (store ??= createSyncStore(ctx.connection.db!));
  let syncLifecycle: SyncLifecycle | undefined;
  const lifecycle = () => (syncLifecycle ??= createSyncLifecycle({ config: ctx.config, connection: ctx.connection, secrets: ctx.secrets, now: ctx.now }));

  mountRoute(router, ctx, guards, ROUTES.getPreview, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    const mapping = mappingOf(integration);
    if (!mapping) throw new ApiError('integration_incomplete', { nextStep: firstIncompleteStep(integration) });
    const snapshot: IntegrationSnapshot = {
      id: params.id,
      accountId: integration.accountId,
      kind: integration.kind,
      status: integration.status,
      mapping,
      mappingSettings: mappingSettingsOf(integration),
      listId: integration.list?.id ?? 0,
      notificationEmail: null,
    };
    const month = quotaMonth(ctx.now());
    const quota = await ctx.syncFacts.quota(params.id, month);
    const salesforce = salesforceFor(ctx, integration);
    const brevo = await brevoClientFor(ctx, auth.accountId);
    const orgId = integration.salesforce?.orgId;
    const result = await previewIntegration(snapshot, {
      salesforce: salesforce.connection,
      brevo,
      store: syncStore(),
      // R14 across orgs, as the run decides it: this account's integrations only (the caller's, by its token), whose links
      // are then read for the Ids of each chunk the preview plans, never more.
      ...(orgId ? { otherOrgIntegrations: () => ctx.integrations.idsOnOtherSalesforceOrgs(auth.accountId, orgId) } : {}),
      loadFields: () => describeIntegrationObject(ctx, integration),
      sampleSize: PREVIEW_ENGINE_SAMPLES,
      quotaLimit: quota.limit,
      policy: { retry: REQUEST_RETRY },
    }).catch((error: unknown) => {
      const cause = error instanceof RetriesExhaustedError ? error.lastError : error;
      throw cause instanceof BrevoError ? brevoFailure(error) : salesforceFailure(salesforce.authRevoked ?? error);
    });
    return { json: toPreviewDto(result, { ...quota, month }, PREVIEW_SAMPLES) };
  });

  mountRoute(router, ctx, guards, ROUTES.syncNow, async ({ auth, params }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    if (!isSyncing(integration.status)) throw new ApiError('invalid_state', { status: integration.status });
    // Any worker's reconcile turns the request into an immediate job (and drops it if the integration stopped syncing).
    await lifecycle().onSyncNow({ id: params.id });
    return integrationResponse(ctx, integration, 202);
  });

  mountRoute(router, ctx, guards, ROUTES.listRuns, async ({ auth, params, query }) => {
    await loadIntegration(ctx, auth, params.id);
    const { runs, total } = await syncStore().runs.page(params.id, query.offset, query.limit);
    return { json: { runs: runs.map(toRunDto), total, offset: query.offset, limit: query.limit } };
  });

  mountRoute(router, ctx, guards, ROUTES.listRecordErrors, async ({ auth, params, query }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    const open = await syncStore().errors.open(params.id, OPEN_ERRORS_READ + 1);
    const truncated = open.length > OPEN_ERRORS_READ;
    return { json: recordErrorPage(open.slice(0, OPEN_ERRORS_READ), query, integration.salesforce?.instanceUrl ?? null, truncated) };
  });

  mountRoute(router, ctx, guards, ROUTES.retryRecordErrors, async ({ auth, params, query }) => {
    const integration = await loadIntegration(ctx, auth, params.id);
    if (!isSyncing(integration.status)) throw new ApiError('invalid_state', { status: integration.status });
    // Salesforce → Brevo errors only: a fix made in Brevo arrives by webhook on its own.
    const ids = await syncStore().errors.retryableSalesforceIds(params.id, RETRY_MAX_RECORDS, query.code);
    if (ids.length > 0) await lifecycle().onRetryRecords({ id: params.id }, ids);
    return { status: 202, json: { requested: ids.length } };
  });

}
