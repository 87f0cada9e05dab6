import { createBrevoClient } from '@contact-sync/brevo';
import type { SecretBox } from '@contact-sync/secrets';
import { accountRepository, createSyncStore } from '@contact-sync/store';
import { syncLifecycle } from '@contact-sync/sync';
import type { Connection } from 'mongoose';
import type { BffConfig } from './config.ts';
import type { IntegrationHooks } from './context.ts';

export interface SyncHookDeps {
  config: Pick<BffConfig, 'BREVO_API_URL' | 'BREVO_API_KEY'>;
  connection: Connection;
  secrets: SecretBox;
  now?: () => Date;
}

export type SyncLifecycle = ReturnType<typeof syncLifecycle>;

/** The sync engine's lifecycle (packages/sync) on the BFF's database, with the account's Brevo client. */
export function createSyncLifecycle(deps: SyncHookDeps): SyncLifecycle {
  const accounts = accountRepository(deps.connection, deps.secrets);
  return syncLifecycle({
    store: createSyncStore(deps.connection.db!),
    brevoFor: async (accountId) => {
      const apiKey = (await accounts.brevoApiKey(accountId)) ?? deps.config.BREVO_API_KEY ?? null;
      return apiKey ? createBrevoClient({ apiKey, baseUrl: deps.config.BREVO_API_URL, timeoutSeconds: 20 }) : null;
    },
    ...(deps.now ? { now: deps.now } : {}),
  });
}

/**
 * The lifecycle as the BFF's hooks. The worker never hears from the BFF
 * directly, both only share the database:
 * - activated / resumed: a "Sync now" request, so the first sync starts at the
 *   workers' next reconcile (seconds), which also gives the integration its
 *   recurring job;
 * - paused: nothing; the reconcile drops the recurring job, the Brevo webhook
 *   stays so Brevo changes made meanwhile are applied on resume;
 * - deleted: the Brevo webhook is unregistered and the integration's sync
 *   records go; the reconcile drops the job (the integration no longer exists).
 */
export function createSyncHooks(deps: SyncHookDeps): IntegrationHooks {
  const lifecycle = createSyncLifecycle(deps);
  return {
    onActivated: (integration) => lifecycle.onActivated({ id: integration._id.toHexString() }),
    onDeleted: (integration) => lifecycle.onDeleted({ id: integration._id.toHexString(), accountId: integration.accountId }),
  };
}
