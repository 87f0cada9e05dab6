import type { IntegrationKind, IntegrationStatus, MappingSettings, SalesforceField, SalesforceObjectName } from '@contact-sync/rules';
import { salesforceObjectOf } from '@contact-sync/rules';

/**
 * What the engine needs to know about one integration, read from the BFF's
 * Integration document by the worker (or built by a test). The engine never
 * reads or writes that document itself: it reports status changes through
 * `IntegrationStatusPort`.
 */
export interface IntegrationSnapshot {
  id: string;
  accountId: string;
  kind: IntegrationKind;
  status: IntegrationStatus;
  /** Brevo attribute → Salesforce field (R5-validated). */
  mapping: Readonly<Record<string, string>>;
  /** Per-pair directions and the conflict policy (R17); absent: the defaults. */
  mappingSettings?: MappingSettings;
  listId: number;
  /** Where R16's quota emails go; null: none sent. */
  notificationEmail: string | null;
  /** Default country for SMS numbers written without a country code. */
  smsDefaultCountry?: string;
}

export function objectOf(integration: Pick<IntegrationSnapshot, 'kind'>): SalesforceObjectName {
  return salesforceObjectOf(integration.kind);
}

export interface StatusChange {
  status: IntegrationStatus;
  /** Rule or fault code behind the change (`quota_exceeded`, `text_too_long`, `auth_revoked`…). */
  code?: string;
  message?: string;
}

/** How the engine tells the BFF's Integration document about status changes (SPEC §4). */
export interface IntegrationStatusPort {
  setStatus(integrationId: string, change: StatusChange): Promise<void>;
  /**
   * Saves a mapping the engine repaired (link attributes taken out, `removed`), with the reason
   * `mapping_repaired` for the user to read.
   */
  saveRepairedMapping(integrationId: string, mapping: Record<string, string>, removed: readonly string[]): Promise<void>;
}

/** Describe fields of the integration's object, cached by the caller as it likes. */
export type FieldsLoader = (object: SalesforceObjectName) => Promise<readonly SalesforceField[]>;
