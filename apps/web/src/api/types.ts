/**
 * Bodies of the BFF's /api/v1 API as the microfrontend reads them. The types
 * come from `@contact-sync/api` (the zod schemas the BFF validates with), as
 * `import type` only, so zod stays out of the browser bundle. The two value
 * constants are repeated here for the same reason and checked against it.
 */
import type {
  BrevoListDto,
  BrevoListPage as ApiBrevoListPage,
  IntegrationDto,
  IntegrationListResponse,
  MappingOptionsResponse as ApiMappingOptionsResponse,
  RuleIssueDto,
  SalesforceConnectedMessage as ApiSalesforceConnectedMessage,
  SessionResponse,
  WizardStep as ApiWizardStep,
} from '@contact-sync/api';
import type { BrevoAttribute, IntegrationKind, IntegrationStatus, SalesforceField } from '@contact-sync/rules';

export type { IntegrationKind, IntegrationStatus };

export const WIZARD_STEPS = ['connect', 'consent', 'mapping', 'list', 'preview'] as const satisfies readonly ApiWizardStep[];
export type WizardStep = ApiWizardStep;

export type Quota = IntegrationDto['quota'];
export type ListRef = NonNullable<IntegrationDto['list']>;
export type SalesforceConnection = NonNullable<IntegrationDto['salesforce']>;

/** Progress of a running sync. Not in the API yet: the UI falls back to "active, never synced". */
export interface SyncProgress {
  running: boolean;
  processed: number;
  total: number | null;
}

export type Integration = IntegrationDto & { sync?: SyncProgress | null };
export type IntegrationList = IntegrationListResponse;
export type Session = SessionResponse;

/** A rule issue as the API returns it (the rules package's `RuleIssue`); codes kept open for forward compatibility. */
export type ApiIssue = Omit<RuleIssueDto, 'code' | 'rule'> & { code: string; rule?: string };

/** The raw inputs are typed with the rules package's own types (what `describeMappingOptions` takes). */
export type MappingOptionsResponse = Omit<ApiMappingOptionsResponse, 'salesforceFields' | 'brevoAttributes' | 'options'> & {
  salesforceFields: SalesforceField[];
  brevoAttributes: BrevoAttribute[];
};

export type BrevoList = BrevoListDto;
export type BrevoListPage = ApiBrevoListPage;

// Preview, runs and record errors are not in packages/api yet: shapes as planned with the BFF engineer.

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
export const SALESFORCE_CONNECTED_MESSAGE = 'contact-sync:salesforce-connected' satisfies ApiSalesforceConnectedMessage['type'];
export type SalesforceConnectedMessage = ApiSalesforceConnectedMessage;
