import type { HttpClient } from './http-client.ts';
import type { MappingSettings } from '@contact-sync/rules';
import type {
  BrevoList,
  BrevoListPage,
  Integration,
  IntegrationKind,
  IntegrationList,
  MappingOptionsResponse,
  Preview,
  RecordErrorPage,
  RecordErrorQuery,
  RetryRecordErrorsResult,
  Run,
  Session,
} from './types.ts';

/** Runs the detail page shows (the BFF's largest page). */
const RECENT = 50;

/** One function per BFF route the microfrontend calls (paths from packages/api routes.ts). */
export function createContactSyncApi(http: HttpClient) {
  const integration = (id: string) => `/integrations/${encodeURIComponent(id)}`;
  return {
    getSession: () => http.request<Session>('GET', '/session'),
    listIntegrations: async () => (await http.request<IntegrationList>('GET', '/integrations')).integrations,
    createIntegration: (kind: IntegrationKind, name: string) => http.request<Integration>('POST', '/integrations', { body: { kind, name } }),
    getIntegration: (id: string) => http.request<Integration>('GET', integration(id)),
    renameIntegration: (id: string, name: string) => http.request<Integration>('PATCH', integration(id), { body: { name } }),
    deleteIntegration: (id: string) => http.request<void>('DELETE', integration(id)),
    startSalesforceConnect: (id: string) => http.request<{ authorizeUrl: string }>('POST', `${integration(id)}/salesforce/connect`),
    completeSalesforceConnect: (id: string, authorization: { state: string; code: string }) =>
      http.request<Integration>('POST', `${integration(id)}/salesforce/complete`, { body: authorization }),
    putConsent: (id: string) => http.request<Integration>('PUT', `${integration(id)}/consent`, { body: { optIn: true } }),
    getMappingOptions: (id: string) => http.request<MappingOptionsResponse>('GET', `${integration(id)}/mapping/options`),
    putMapping: (id: string, mapping: Record<string, string>, settings: MappingSettings = {}) =>
      http.request<Integration>('PUT', `${integration(id)}/mapping`, { body: { mapping, settings } }),
    listBrevoLists: (offset: number, limit: number) => http.request<BrevoListPage>('GET', '/brevo/lists', { query: { offset, limit } }),
    createBrevoList: (name: string) => http.request<BrevoList>('POST', '/brevo/lists', { body: { name } }),
    putList: (id: string, listId: number) => http.request<Integration>('PUT', `${integration(id)}/list`, { body: { listId } }),
    getPreview: (id: string) => http.request<Preview>('GET', `${integration(id)}/preview`),
    activate: (id: string) => http.request<Integration>('POST', `${integration(id)}/activate`),
    pause: (id: string) => http.request<Integration>('POST', `${integration(id)}/pause`),
    resume: (id: string) => http.request<Integration>('POST', `${integration(id)}/resume`),
    syncNow: (id: string) => http.request<Integration>('POST', `${integration(id)}/sync`),
    /** The latest runs, newest first. */
    listRuns: async (id: string) => (await http.request<{ runs: Run[] }>('GET', `${integration(id)}/runs`, { query: { limit: RECENT } })).runs,
    /** Open record errors, newest first, grouped by cause; `q` and `code` narrow them. */
    listRecordErrors: (id: string, query: RecordErrorQuery) =>
      http.request<RecordErrorPage>('GET', `${integration(id)}/record-errors`, {
        query: { offset: query.offset, limit: query.limit, ...(query.q ? { q: query.q } : {}), ...(query.code ? { code: query.code } : {}) },
      }),
    /** Marks the records of retryable errors (of one cause) for the next run, which starts now. */
    retryRecordErrors: (id: string, code?: string) =>
      http.request<RetryRecordErrorsResult>('POST', `${integration(id)}/record-errors/retry`, code ? { query: { code } } : {}),
  };
}

export type ContactSyncApi = ReturnType<typeof createContactSyncApi>;
