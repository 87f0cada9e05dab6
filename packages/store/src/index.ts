// Accounts, integrations, OAuth states and R3 slots (mongoose models; the BFF's).
export { accountModel, accountRepository, brevoKeyContext, type AccountDoc, type AccountRepository, type BrevoKeyInput } from './accounts.ts';
export {
  IntegrationNameTakenError,
  integrationModel,
  integrationRepository,
  mappingOf,
  mappingSettingsOf,
  salesforceTokenContext,
  type IntegrationDoc,
  type IntegrationListDoc,
  type IntegrationRepository,
  type IntegrationRepositoryOptions,
  type MappingEntryDoc,
  type SalesforceConnectionDoc,
  type SyncingIntegrationRef,
  type SyncingIntegrationVersion,
  type SalesforceConnectionInput,
  type SalesforceCredentials,
} from './integrations.ts';
export { oauthStateModel, oauthStateRepository, type ConsumedOAuthState, type OAuthStateDoc, type OAuthStateRepository } from './oauth-states.ts';
export { salesforceSlotModel, salesforceSlotRepository, type SalesforceSlotDoc, type SalesforceSlotRepository } from './salesforce-slots.ts';
export { connectStore } from './store-connection.ts';
export { isDuplicateKeyError } from './duplicate-key.ts';
export { ensureBffIndexes } from './indexes.ts';

// The sync engine's collections (driver-level stores).
export * from './sync-store.ts';
