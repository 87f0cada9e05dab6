import type { BrevoClient } from '@getbrevo/brevo';
import type { SyncStore } from '@contact-sync/store';
import { unregisterIntegrationWebhook } from './webhooks.ts';

/**
 * What the sync does when the BFF changes an integration's lifecycle (wire
 * these into the BFF's IntegrationHooks). Scheduling itself follows the
 * status: the workers' reconcile gives every syncing integration one
 * recurring job and removes the others' within seconds.
 * - activated: the first sync starts at once (a "Sync now" request);
 * - paused: nothing to do here; the webhook stays, so Brevo changes made
 *   during the pause are stored and applied on resume;
 * - deleted: the Brevo webhook goes, and every sync record of the integration.
 */
export function syncLifecycle(deps: { store: SyncStore; brevoFor: (accountId: string) => Promise<BrevoClient | null>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async onActivated(integration: { id: string }): Promise<void> {
      await deps.store.state.requestSync(integration.id, now(), 'activation');
    },
    async onSyncNow(integration: { id: string }): Promise<void> {
      await deps.store.state.requestSync(integration.id, now(), 'sync_now');
    },
    /** "Retry" on record errors (Salesforce → Brevo ones): retried by the next run, which starts now. */
    async onRetryRecords(integration: { id: string }, salesforceIds: readonly string[]): Promise<void> {
      await deps.store.state.requestRetry(integration.id, salesforceIds);
      await deps.store.state.requestSync(integration.id, now(), 'retry');
    },
    /**
     * The integration is already gone, so its sync records go even when Brevo
     * cannot be reached: a webhook Brevo keeps is harmless (its deliveries are
     * refused, no secret is left to match them) and is reported by the error
     * this throws afterwards, with its id, for the caller's log.
     */
    async onDeleted(integration: { id: string; accountId: string }): Promise<void> {
      const webhookId = (await deps.store.state.find(integration.id))?.brevoWebhookId ?? null;
      let webhookLeft: unknown = null;
      try {
        const brevo = await deps.brevoFor(integration.accountId);
        if (brevo) await unregisterIntegrationWebhook(integration.id, { brevo, store: deps.store });
      } catch (error) {
        webhookLeft = error;
      }
      await deps.store.links.removeIntegration(integration.id);
      await deps.store.events.removeIntegration(integration.id);
      await deps.store.errors.removeIntegration(integration.id);
      await deps.store.runs.removeIntegration(integration.id);
      await deps.store.state.remove(integration.id);
      await deps.store.leases.remove(integration.id);
      if (webhookLeft) {
        throw new Error(`Brevo webhook ${webhookId} of deleted integration ${integration.id} could not be removed; delete it in Brevo`, { cause: webhookLeft });
      }
    },
  };
}
