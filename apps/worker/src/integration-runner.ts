import { createBrevoClient } from '@contact-sync/brevo';
import { IntegrationStatus, isSyncing, type IntegrationStatus as Status } from '@contact-sync/rules';
import { createSalesforceConnection, type SalesforceConnectionHandle } from '@contact-sync/salesforce';
import type { SecretBox } from '@contact-sync/secrets';
import { accountModel, accountRepository, integrationRepository, type AccountDoc, mappingOf, mappingSettingsOf, streamKeyOfIntegration, type IntegrationDoc, type RunTrigger, type SyncStateDoc, type SyncStore } from '@contact-sync/store';
import { DescribeCache, registerIntegrationWebhook, runIntegration, runStartOf, sharedBrevoLimits, sharedSalesforceLimits, type EngineDeps, type FieldsLoader, type IntegrationSnapshot, type IntegrationStatusPort, type StreamTarget } from '@contact-sync/sync';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.ts';
import { countRun, runEndOf, type WorkerMetrics } from './metrics.ts';
import { NEEDS_LOAD_SLOT, type RunContext, type SyncingIntegration } from './scheduler.ts';

const SYNCING: Status[] = [IntegrationStatus.Active, IntegrationStatus.Error];
/** How long a run holds its worker slot before it gives way to waiting runs between two chunks. */
export const RUN_SLICE_MS = 20_000;
/** The longest a failing integration's scheduled runs wait. */
export const MAX_FAILURE_BACKOFF_MS = 60 * 60_000;

/** After `failures` failed runs in a row, scheduled runs wait 1, 2, 4… intervals, at most an hour. */
export function failureBackoffMs(failures: number, intervalSeconds: number): number {
  return Math.min(MAX_FAILURE_BACKOFF_MS, intervalSeconds * 1000 * 2 ** Math.max(0, failures - 1));
}

/** Whether a run of the integration is a load, by the engine's own decision (`runStartOf`) on its sync state and settings. */
function isLoadOf(doc: IntegrationDoc, state: SyncStateDoc | null, trigger: RunTrigger): boolean {
  return runStartOf(state, { mappingSettings: mappingSettingsOf(doc) }, trigger).load;
}

/**
 * Reads the BFF's Integration and Account documents (through the BFF's
 * repositories, which open the sealed tokens and keys) and runs the engine
 * for one integration, or gives a stream session what it needs to apply
 * changes to it. The engine reports status changes through the port below;
 * every change is conditional on the integration still syncing, so a pause
 * or delete made meanwhile in the BFF wins.
 */
export function createIntegrationRunner(deps: { connection: Connection; secrets: SecretBox; store: SyncStore; config: WorkerConfig; logger: Logger; metrics?: WorkerMetrics }) {
  const integrations = integrationRepository(deps.connection, deps.secrets);
  const accounts = accountRepository(deps.connection, deps.secrets);
  const { config, logger, metrics } = deps;
  // The Salesforce users' describes, kept between this worker's runs (a describe per run was half an incremental run's Salesforce calls).
  const describes = new DescribeCache({ ttlMs: config.SALESFORCE_DESCRIBE_TTL_SECONDS * 1000 });
  // Every call of the engine (runs and streamed batches) counted by API: no label names the integration.
  const callCounting = metrics
    ? { onCall: (api: 'salesforce' | 'brevo') => metrics.apiCalls.inc({ api }), onRateLimited: (api: 'salesforce' | 'brevo') => metrics.apiRateLimited.inc({ api }) }
    : {};

  const statusesFor = (doc: IntegrationDoc): IntegrationStatusPort => ({
    async setStatus(integrationId, change) {
      if (change.status === IntegrationStatus.AuthError) await integrations.markAuthError(doc.accountId, integrationId, change.code ?? 'auth_error', new Date());
      else await integrations.transition(doc.accountId, integrationId, SYNCING, change.status, change.code ? { statusReason: { code: change.code, at: new Date() } } : {});
      logger.info({ integrationId, status: change.status, code: change.code }, 'integration status changed');
    },
    async saveRepairedMapping(integrationId, mapping, removed) {
      await integrations.repairMapping(doc.accountId, integrationId, mapping, mappingSettingsOf(doc), 'mapping_repaired', new Date());
      logger.warn({ integrationId, removed }, 'mapping repaired: link attributes taken out');
    },
  });

  function siblingsOf(accountId: string, orgId: string, selfId: string) {
    return async () =>
      (await integrations.listOnSalesforceOrgForWorker(accountId, orgId)).flatMap((sibling) => {
        const id = sibling._id.toHexString();
        return id === selfId ? [] : [{ id, kind: sibling.kind, status: sibling.status }];
      });
  }

  function snapshotOf(doc: IntegrationDoc, account: AccountDoc | null): IntegrationSnapshot | null {
    const mapping = mappingOf(doc);
    if (!mapping || !doc.list) return null;
    return {
      id: doc._id.toHexString(),
      accountId: doc.accountId,
      kind: doc.kind,
      status: doc.status,
      mapping,
      mappingSettings: mappingSettingsOf(doc),
      listId: doc.list.id,
      notificationEmail: account?.notificationEmail ?? null,
    };
  }

  /** A connection on the integration's stored tokens; a refreshed access token is stored for the next process. */
  function salesforceOf(doc: IntegrationDoc): SalesforceConnectionHandle | null {
    const credentials = integrations.salesforceCredentials(doc);
    if (!credentials) return null;
    return createSalesforceConnection({
      ...credentials,
      oauth: { loginUrl: config.SALESFORCE_LOGIN_URL, clientId: config.SALESFORCE_CLIENT_ID, clientSecret: config.SALESFORCE_CLIENT_SECRET, redirectUri: config.SALESFORCE_REDIRECT_URI },
      onTokenRefreshed: (accessToken) => integrations.saveRefreshedAccessToken(doc.accountId, doc._id.toHexString(), accessToken, new Date()),
    });
  }

  /** What the engine needs for one integration but its Salesforce connection; null (logged) when something is missing. */
  async function engineOf(doc: IntegrationDoc): Promise<{ snapshot: IntegrationSnapshot; brevo: EngineDeps['brevo']; deps: Omit<EngineDeps, 'salesforce'> } | null> {
    // One read of the account for its notification address and its key.
    const account = await accounts.find(doc.accountId);
    const snapshot = snapshotOf(doc, account);
    const apiKey = account && accounts.openBrevoApiKey(account);
    if (!snapshot || !apiKey) return null;
    const brevo = createBrevoClient({ apiKey, baseUrl: config.BREVO_API_URL });
    const { salesforce } = doc;
    return {
      snapshot,
      brevo,
      deps: {
        brevo,
        store: deps.store,
        statuses: statusesFor(doc),
        // The account's Brevo rate limits are shared with every worker and every integration of the account.
        brevoLimits: sharedBrevoLimits(deps.store.rateBudgets, doc.accountId, { contactsPerSecond: config.BREVO_CONTACTS_PER_SECOND }),
        // The org's daily-limit pause holds every integration on the org.
        ...(doc.salesforce ? { salesforceOrg: sharedSalesforceLimits(deps.store.rateBudgets, doc.salesforce.orgId) } : {}),
        // Converted leads follow their Contact into a Contacts integration of the same account and org.
        ...(salesforce
          ? { siblings: siblingsOf(doc.accountId, salesforce.orgId, doc._id.toHexString()), otherOrgIntegrations: () => integrations.idsOnOtherSalesforceOrgs(doc.accountId, salesforce.orgId) }
          : {}),
        options: { sender: { email: config.NOTICE_SENDER_EMAIL, name: 'Salesforce contacts integration' }, ...callCounting },
      },
    };
  }

  return {
    salesforceOf,

    /**
     * The integration as a stream session applies changes to it, once its initial load is done. Reads its sync state and
     * its account: the stream supervisor keeps what it returns (`targetsOf`), as a session asks every 2 s.
     */
    async streamTargetOf(doc: IntegrationDoc, salesforce: SalesforceConnectionHandle): Promise<StreamTarget | null> {
      if (!isSyncing(doc.status) || !(await deps.store.state.get(doc._id.toHexString())).initialLoadDone) return null;
      const engine = await engineOf(doc);
      return engine ? { integration: engine.snapshot, deps: { ...engine.deps, salesforce: salesforce.connection } } : null;
    },

    /** When each of these accounts was last written (ms): the stream supervisor makes a target again after its account's write. */
    async accountVersions(accountIds: readonly string[]): Promise<Map<string, number>> {
      const written = await accountModel(deps.connection).find({ accountId: { $in: [...accountIds] } }, { _id: 0, accountId: 1, updatedAt: 1 }).lean<Pick<AccountDoc, 'accountId' | 'updatedAt'>[]>().exec();
      // One stored without timestamps (not by the repository) has no version: its targets are made again after TARGET_REREAD_MS only.
      return new Map(written.flatMap((account) => (account.updatedAt ? [[account.accountId, account.updatedAt.getTime()] as const] : [])));
    },

    /** The stream supervisor's listing of the fleet, and its reads in full of the integrations on the streams it holds or takes. */
    listSyncingVersions: () => integrations.listSyncingVersionsForWorker(),

    findSyncingDocs: (ids: readonly string[]) => integrations.findSyncingForWorker(ids),

    /**
     * Every syncing integration and how often its watermark run comes: every
     * SYNC_INTERVAL_SECONDS, or as the safety net (SYNC_SAFETY_NET_SECONDS)
     * while its Salesforce changes arrive in real time: its stream is, and its
     * initial load is done (the stream applies nothing to it before).
     */
    async listSyncing(): Promise<SyncingIntegration[]> {
      const refs = await integrations.listSyncingRefsForWorker();
      const realtime = await deps.store.streams.realtimeKeys(refs.flatMap((ref) => streamKeyOfIntegration(ref) ?? []));
      const onRealtimeStream = refs.flatMap((ref) => {
        const key = streamKeyOfIntegration(ref);
        return key !== null && realtime.has(key) ? [ref._id.toHexString()] : [];
      });
      // One find for all of them: one per integration was as many finds as real-time integrations at every listing.
      const loaded = await deps.store.state.initialLoadsDone(onRealtimeStream);
      return refs.map((ref) => {
        const integrationId = ref._id.toHexString();
        return { integrationId, intervalSeconds: loaded.has(integrationId) ? config.SYNC_SAFETY_NET_SECONDS : config.SYNC_INTERVAL_SECONDS };
      });
    },

    /** The scheduler's `isLoad`: a requested run of a syncing integration that is a load as things stand. */
    async isLoad(integrationId: string, trigger: RunTrigger): Promise<boolean> {
      const doc = await integrations.findByIdForWorker(integrationId);
      return doc !== null && isSyncing(doc.status) && isLoadOf(doc, await deps.store.state.find(integrationId), trigger);
    },

    /**
     * One run, under the integration's lease. Its sync state is read once, here, and given to everything the run does
     * (the webhook's registration, the engine, its retries): under the lease only this run changes what they read of
     * it, and every write the watermark or a reservation depends on stays conditional on where it was.
     */
    async runOne(integrationId: string, context: RunContext): Promise<void | typeof NEEDS_LOAD_SLOT> {
      // A run that a worker left running (the state names it) is closed first, whatever this run then does.
      const state = await deps.store.runs.stateUnderLease(integrationId, new Date());
      const doc = await integrations.findByIdForWorker(integrationId);
      if (!doc || !isSyncing(doc.status)) return;
      // A failing integration's scheduled runs back off (its slot goes to the others); a requested one still runs.
      if (context.trigger === 'schedule' && state?.backoffUntil && state.backoffUntil.getTime() > Date.now()) return;
      // On the state read under the lease and the document the engine is given.
      if (!context.inLoadSlot && isLoadOf(doc, state, context.trigger)) return NEEDS_LOAD_SLOT;
      const engine = await engineOf(doc);
      const salesforce = salesforceOf(doc);
      if (!engine || !salesforce) {
        logger.warn({ integrationId }, 'integration is missing its mapping, list, Salesforce connection or Brevo key; skipped');
        return;
      }
      await registerIntegrationWebhook(integrationId, { brevo: engine.brevo, store: deps.store, secrets: deps.secrets, bffPublicUrl: config.BFF_PUBLIC_URL, ...(state ? { state } : {}) });
      const started = Date.now();
      // A long run (an initial load) gives way between chunks once it has had its slice and others wait.
      const shouldYield = async () => Date.now() - started > RUN_SLICE_MS && (await context.othersWaiting());
      // The describe this worker keeps of what the integration's Salesforce user sees, unless the integration was written
      // since (a mapping saved after a field was added; the status a failed run sets, which every worker reads) or the
      // user asked for this run.
      const describer = doc.salesforce ? `${doc.salesforce.orgId}/${doc.salesforce.userId}` : null;
      const describedSince = context.trigger === 'sync_now' ? new Date() : doc.updatedAt;
      const keptFields = describer ? { keptFields: (fetch: FieldsLoader) => describes.loaderFor(describer, fetch, describedSince) } : {};
      let result: Awaited<ReturnType<typeof runIntegration>> | undefined;
      try {
        result = await runIntegration(engine.snapshot, { ...engine.deps, ...keptFields, salesforce: salesforce.connection, stillOwner: context.stillOwner, trigger: context.trigger, shouldYield, ...(state ? { state } : {}) });
      } finally {
        if (metrics) countRun(metrics, context.trigger, result ? runEndOf(result) : null, (Date.now() - started) / 1000);
        // A run that threw wrote no status: a field changed in Salesforce can be why, so this worker describes again.
        if (describer && !result) describes.forget(describer);
      }
      const failed = [result.brevoToSalesforce, result.salesforceToBrevo].find((direction) => direction?.end === 'failed');
      if (failed) {
        const failures = await deps.store.state.recordFailure(integrationId, new Date(), (n) => failureBackoffMs(n, config.SYNC_INTERVAL_SECONDS));
        await engine.deps.statuses.setStatus(integrationId, { status: IntegrationStatus.Error, code: 'sync_failed' });
        logger.warn({ integrationId, failures, error: failed.error }, 'sync run failed; scheduled runs back off');
      } else if (doc.statusReason?.code === 'sync_failed' && result.salesforceToBrevo?.end === 'completed') {
        // Working again: the status says what this run left (the engine changes it only when the status itself changes).
        const errors = result.brevoToSalesforce.errors + result.salesforceToBrevo.errors;
        await engine.deps.statuses.setStatus(integrationId, errors > 0 ? { status: IntegrationStatus.Error, code: 'record_errors' } : { status: IntegrationStatus.Active });
      }
      logger.info(
        {
          integrationId,
          ms: Date.now() - started,
          brevoToSalesforce: { end: result.brevoToSalesforce.end, counts: result.brevoToSalesforce.counts, error: result.brevoToSalesforce.error },
          salesforceToBrevo: result.salesforceToBrevo && { end: result.salesforceToBrevo.end, counts: result.salesforceToBrevo.counts, operations: result.salesforceToBrevo.operations, error: result.salesforceToBrevo.error },
        },
        'sync run',
      );
    },
  };
}
