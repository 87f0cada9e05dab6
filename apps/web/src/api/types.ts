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
  PreviewDto,
  RecordErrorDto,
  RecordErrorGroupDto,
  RecordErrorPage as ApiRecordErrorPage,
  RetryRecordErrorsResult as ApiRetryRecordErrorsResult,
  RuleIssueDto,
  RunDto,
  SalesforceAuthorizedMessage as ApiSalesforceAuthorizedMessage,
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

/** Progress of the run in progress (records done / total); null when none runs. */
export type SyncProgress = NonNullable<IntegrationDto['sync']>;

export type Integration = IntegrationDto;
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

/** The dry run of the first sync (wizard preview): counts, rejected by reason, samples, quota share. */
export type Preview = PreviewDto;
export type PreviewReason = PreviewDto['rejected'][number];

/** One sync run (either direction) and its counts. */
export type Run = RunDto;
export type RunCounts = RunDto['counts'];

/** One rejected or failed record (or a warning), with its rule code, message and fix hint. */
export type RecordError = RecordErrorDto;
/** Open errors of one cause (count of records, whether a retry can help). */
export type RecordErrorGroup = RecordErrorGroupDto;
export type RecordErrorPage = ApiRecordErrorPage;
export interface RecordErrorQuery {
  offset: number;
  limit: number;
  q?: string;
  code?: string;
}
export type RetryRecordErrorsResult = ApiRetryRecordErrorsResult;

/** What the BFF's OAuth callback page relays to the opener (packages/api salesforce.ts). */
export const SALESFORCE_AUTHORIZED_MESSAGE = 'contact-sync:salesforce-authorized' satisfies ApiSalesforceAuthorizedMessage['type'];
export type SalesforceAuthorizedMessage = ApiSalesforceAuthorizedMessage;
/** The opener's receipt to the callback page (SALESFORCE_AUTHORIZED_RECEIPT in packages/api). */
export const SALESFORCE_AUTHORIZED_RECEIPT = 'contact-sync:salesforce-authorized.received';
