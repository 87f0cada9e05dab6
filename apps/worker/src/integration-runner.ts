import { createBrevoClient } from '@contact-sync/brevo';
import { IntegrationStatus, isSyncing, type IntegrationStatus as Status } from '@contact-sync/rules';
import { createSalesforceConnection } from '@contact-sync/salesforce';
import type { SecretBox } from '@contact-sync/secrets';
import { accountRepository, integrationRepository, mappingOf, type IntegrationDoc, type SyncStore } from '@contact-sync/store';
import { registerIntegrationWebhook, runIntegration, type IntegrationSnapshot, type IntegrationStatusPort } from '@contact-sync/sync';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.ts';
import type { RunContext } from './scheduler.ts';

const SYNCING: Status[] = [IntegrationStatus.Active, IntegrationStatus.Error];

/**
 * Reads the BFF's Integration and Account documents (through the BFF's
 * repositories, which open the sealed tokens and keys) and runs the engine
 * for one integration. The engine reports status changes through the port
 * below; every change is conditional on the integration still syncing, so a
 * pause or delete made meanwhile in the BFF wins.
 */
export function createIntegrationRunner(deps: { connection: Connection; secrets: SecretBox; store: SyncStore; config: WorkerConfig; logger: Logger }) {
  const integrations = integrationRepository(deps.connection, deps.secrets);
  const accounts = accountRepository(deps.connection, deps.secrets);
  const { config, logger } = deps;

  const statusesFor = (doc: IntegrationDoc): IntegrationStatusPort => ({
    async setStatus(integrationId, change) {
      if (change.status === IntegrationStatus.AuthError) await integrations.markAuthError(doc.accountId, integrationId, change.code ?? 'auth_error', new Date());
      else await integrations.transition(doc.accountId, integrationId, SYNCING, change.status, change.code ? { statusReason: { code: change.code, at: new Date() } } : {});
      logger.info({ integrationId, status: change.status, code: change.code }, 'integration status changed');
    },
    async saveRepairedMapping(integrationId, mapping, removed) {
      await integrations.repairMapping(doc.accountId, integrationId, mapping, 'mapping_repaired', new Date());
      logger.warn({ integrationId, removed }, 'mapping repaired: link attributes taken out');
    },
  });

  async function snapshotOf(doc: IntegrationDoc): Promise<IntegrationSnapshot | null> {
    const mapping = mappingOf(doc);
    if (!mapping || !doc.list) return null;
    const account = await accounts.find(doc.accountId);
    return {
      id: doc._id.toHexString(),
      accountId: doc.accountId,
      kind: doc.kind,
      status: doc.status,
      mapping,
      listId: doc.list.id,
      notificationEmail: account?.notificationEmail ?? null,
    };
  }

  return {
    async listSyncing(): Promise<string[]> {
      return (await integrations.listSyncingForWorker()).map((doc) => doc._id.toHexString());
    },

    async runOne(integrationId: string, context: RunContext): Promise<void> {
      const doc = await integrations.findByIdForWorker(integrationId);
      if (!doc || !isSyncing(doc.status)) return;
      const snapshot = await snapshotOf(doc);
      const credentials = integrations.salesforceCredentials(doc);
      const apiKey = await accounts.brevoApiKey(doc.accountId);
      if (!snapshot || !credentials || !apiKey) {
        logger.warn({ integrationId }, 'integration is missing its mapping, list, Salesforce connection or Brevo key; skipped');
        return;
      }
      const statuses = statusesFor(doc);
      const salesforce = createSalesforceConnection({
        ...credentials,
        oauth: { loginUrl: config.SALESFORCE_LOGIN_URL, clientId: config.SALESFORCE_CLIENT_ID, clientSecret: config.SALESFORCE_CLIENT_SECRET, redirectUri: config.SALESFORCE_REDIRECT_URI },
        onTokenRefreshed: (accessToken) => integrations.saveRefreshedAccessToken(doc.accountId, integrationId, accessToken, new Date()),
      });
      const brevo = createBrevoClient({ apiKey, baseUrl: config.BREVO_API_URL });
      await registerIntegrationWebhook(integrationId, { brevo, store: deps.store, secrets: deps.secrets, bffPublicUrl: config.BFF_PUBLIC_URL });
      const started = Date.now();
      const result = await runIntegration(snapshot, {
        salesforce: salesforce.connection,
        brevo,
        store: deps.store,
        statuses,
        stillOwner: context.stillOwner,
        trigger: context.trigger,
        options: { sender: { email: config.NOTICE_SENDER_EMAIL, name: 'Salesforce contacts integration' } },
      });
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
