import {
  accountRepository,
  integrationRepository,
  oauthStateRepository,
  salesforceSlotRepository,
  type AccountRepository,
  type IntegrationDoc,
  type IntegrationRepository,
  type OAuthStateRepository,
  type SalesforceSlotRepository,
} from '@contact-sync/store';
import type { ChangeDeliveryDto } from '@contact-sync/api';
import { MONTHLY_OPERATION_QUOTA } from '@contact-sync/rules';
import type { SecretBox } from '@contact-sync/secrets';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { BffConfig } from './config.ts';
import type { BffMetrics } from './metrics.ts';
import type { SerializedJson } from './route.ts';
import { AccountListCache, LIST_CACHE_DEFAULTS, type AccountListCacheOptions } from './services/account-list-cache.ts';

export interface RunFacts {
  /** End of the last finished run. */
  lastSyncAt: Date | null;
  /** The run in progress, if any (its start: the ETA's). */
  running: { processed: number; total: number | null; startedAt: Date } | null;
}

export interface QuotaFacts {
  used: number;
  limit: number;
}

/** What the integration's DTO shows of the sync engine. */
export interface IntegrationFacts {
  quota: QuotaFacts;
  runs: RunFacts;
}

/**
 * What the sync engine knows about an integration and the BFF shows: this
 * month's quota use (R16), the last finished run and the one in progress.
 * main.ts reads them from the sync store; the default (no sync yet) is zero
 * use and no run.
 */
export interface SyncFacts {
  quota(integrationId: string, month: string): Promise<QuotaFacts>;
  /** The facts of several integrations, read together (by `_id` only: see sync-facts.ts): every id is in the map. */
  forIntegrations(integrationIds: readonly string[], month: string): Promise<Map<string, IntegrationFacts>>;
  /** How the integration's Salesforce changes arrive now (its stream's state); null when not syncing or not known yet. */
  changeDelivery(integration: IntegrationDoc): Promise<ChangeDeliveryDto | null>;
}

export const NO_RUN_FACTS: RunFacts = { lastSyncAt: null, running: null };

export const NO_SYNC_FACTS: SyncFacts = {
  quota: async () => ({ used: 0, limit: MONTHLY_OPERATION_QUOTA }),
  forIntegrations: async (ids) => new Map(ids.map((id) => [id, { quota: { used: 0, limit: MONTHLY_OPERATION_QUOTA }, runs: NO_RUN_FACTS }])),
  changeDelivery: async () => null,
};

/** Lifecycle events the sync engine subscribes to (scheduling, webhook clean-up). Errors are logged, never fail the request. */
export interface IntegrationHooks {
  onActivated?(integration: IntegrationDoc): Promise<void> | void;
  onPaused?(integration: IntegrationDoc): Promise<void> | void;
  onDeleted?(integration: IntegrationDoc): Promise<void> | void;
}

export interface BffDeps {
  config: BffConfig;
  connection: Connection;
  secrets: SecretBox;
  logger: Logger;
  metrics?: BffMetrics;
  syncFacts?: SyncFacts;
  hooks?: IntegrationHooks;
  now?: () => Date;
  /** Check every JSON response against its route's schema (tests): a mismatch is a 500. */
  validateResponses?: boolean;
  /** How long the integration list of an account is kept (LIST_CACHE_DEFAULTS). */
  listCache?: AccountListCacheOptions;
}

/** Everything a route needs, built once per app. */
export interface BffContext {
  config: BffConfig;
  connection: Connection;
  secrets: SecretBox;
  logger: Logger;
  metrics: BffMetrics;
  syncFacts: SyncFacts;
  hooks: IntegrationHooks;
  now: () => Date;
  validateResponses: boolean;
  accounts: AccountRepository;
  integrations: IntegrationRepository;
  oauthStates: OAuthStateRepository;
  slots: SalesforceSlotRepository;
  /** Each account's integration list as last answered; forgotten on every write of this process to the account's integrations. */
  listCache: AccountListCache<SerializedJson>;
}

export function createContext(deps: BffDeps, metrics: BffMetrics): BffContext {
  const listCache = new AccountListCache<SerializedJson>({
    ...(deps.listCache ?? LIST_CACHE_DEFAULTS),
    onRefreshError: (error, accountId) => deps.logger.error({ err: error, accountId }, 'refreshing the integration list failed'),
  });
  return {
    config: deps.config,
    connection: deps.connection,
    secrets: deps.secrets,
    logger: deps.logger,
    metrics,
    syncFacts: deps.syncFacts ?? NO_SYNC_FACTS,
    hooks: deps.hooks ?? {},
    now: deps.now ?? (() => new Date()),
    validateResponses: deps.validateResponses ?? false,
    accounts: accountRepository(deps.connection, deps.secrets),
    integrations: integrationRepository(deps.connection, deps.secrets, { onWrite: (accountId) => listCache.invalidate(accountId) }),
    oauthStates: oauthStateRepository(deps.connection, deps.secrets),
    slots: salesforceSlotRepository(deps.connection),
    listCache,
  };
}
