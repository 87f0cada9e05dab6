/**
 * Bodies of the BFF's /api/v1 API as the microfrontend reads them, mirroring
 * `packages/api` (zod schemas shared with the BFF). Once that package is
 * committed these become `import type` re-exports from `@contact-sync/api`
 * (types only: zod stays out of the bundle).
 */
import type { BrevoAttribute, IntegrationKind, IntegrationStatus, SalesforceField } from '@contact-sync/rules';

export type { IntegrationKind, IntegrationStatus };

export const WIZARD_STEPS = ['connect', 'consent', 'mapping', 'list', 'preview'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export interface ListRef {
  id: number;
  name: string;
}

export interface Quota {
  used: number;
  limit: number;
  /** `YYYY-MM` (UTC). */
  month: string;
}

export interface SalesforceConnection {
  username: string;
  displayName: string | null;
  orgId: string;
  userId: string;
  instanceUrl: string;
  connectedAt: string;
}

export interface Integration {
  id: string;
  kind: IntegrationKind;
  name: string;
  status: IntegrationStatus;
  statusReason: { code: string; at: string } | null;
  /** The first wizard step not done; `null` once the integration left draft. */
  nextStep: WizardStep | null;
  salesforce: SalesforceConnection | null;
  consent: { by: string; at: string } | null;
  mapping: Record<string, string> | null;
  list: ListRef | null;
  activatedAt: string | null;
  lastSyncAt: string | null;
  quota: Quota;
  createdAt: string;
  updatedAt: string;
  /** Progress of a running sync, when the BFF reports one. */
  sync?: SyncProgress | null;
}

export interface SyncProgress {
  running: boolean;
  processed: number;
  total: number | null;
}

export interface IntegrationList {
  integrations: Integration[];
}

export interface Session {
  accountId: string;
  user: { id: string; email: string; locale: string };
  plan: string;
  canActivate: boolean;
  requiredPlan: string;
  brevoConfigured: boolean;
}

/** A rule issue as the API returns it (the rules package's `RuleIssue`). */
export interface ApiIssue {
  code: string;
  rule?: string;
  messageKey: string;
  field?: string;
  params: Record<string, string | number>;
}

export interface MappingOptionsResponse {
  salesforceObject: 'Contact' | 'Lead';
  salesforceFields: SalesforceField[];
  brevoAttributes: BrevoAttribute[];
  mapping: Record<string, string> | null;
}

export interface BrevoList extends ListRef {
  totalSubscribers: number | null;
  folderId: number | null;
}

export interface BrevoListPage {
  lists: BrevoList[];
  count: number;
  offset: number;
  limit: number;
}

/** The rejected records of a preview, grouped by reason. */
export interface PreviewReason {
  code: string;
  messageKey: string;
  params: Record<string, string | number>;
  count: number;
}

export interface Preview {
  toCreate: number;
  toUpdate: number;
  unchanged: number;
  rejected: PreviewReason[];
  operations: number;
  quota: Quota;
}

export interface RunCounts {
  read: number;
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
  rejected: number;
  failed: number;
}

export interface Run {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  counts: RunCounts;
  operations: number;
}

export interface RecordError {
  id: string;
  object: string;
  recordId: string;
  field: string | null;
  code: string;
  messageKey: string;
  params: Record<string, string | number>;
  at: string;
}

/** What the BFF's OAuth callback page posts to the opener (packages/api salesforce.ts). */
export const SALESFORCE_CONNECTED_MESSAGE = 'contact-sync:salesforce-connected';
export interface SalesforceConnectedMessage {
  type: typeof SALESFORCE_CONNECTED_MESSAGE;
  integrationId: string | null;
  ok: boolean;
  error?: string;
}
