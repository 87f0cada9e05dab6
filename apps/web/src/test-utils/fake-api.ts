import { vi, type Mock } from 'vitest';
import type { ContactSyncApi } from '../api/contact-sync-api.ts';
import { makeIntegration, makeMappingInputs, makePreview, makeRecordErrorPage } from './fixtures.ts';

export type FakeApi = { [K in keyof ContactSyncApi]: Mock<ContactSyncApi[K]> };

/** Every API call as a spy with a sensible default answer; override per test. */
export function createFakeApi(): FakeApi {
  return {
    getSession: vi.fn(async () => ({
      accountId: 'acc_demo',
      user: { id: 'u1', email: 'marketer@acme.test', locale: 'en' },
      plan: 'BrevoPlus',
      canActivate: true,
      requiredPlan: 'BrevoPlus',
      brevoConfigured: true,
      kinds: [
        { kind: 'salesforce-contacts' as const, salesforceObject: 'Contact' as const },
        { kind: 'salesforce-leads' as const, salesforceObject: 'Lead' as const },
      ],
    })),
    listIntegrations: vi.fn(async () => []),
    createIntegration: vi.fn(async (kind, name) => makeIntegration({ kind, name })),
    getIntegration: vi.fn(async () => makeIntegration()),
    renameIntegration: vi.fn(async (_id, name) => makeIntegration({ name })),
    deleteIntegration: vi.fn(async () => undefined),
    startSalesforceConnect: vi.fn(async () => ({ authorizeUrl: 'http://localhost:4010/services/oauth2/authorize?state=s' })),
    completeSalesforceConnect: vi.fn(async () => makeIntegration({ nextStep: 'consent' })),
    putConsent: vi.fn(async () => makeIntegration({ nextStep: 'mapping', consent: { by: 'u1', at: '2026-11-27T10:02:00.000Z' } })),
    getMappingOptions: vi.fn(async () => makeMappingInputs()),
    putMapping: vi.fn(async (_id, mapping) => makeIntegration({ nextStep: 'list', mapping })),
    listBrevoLists: vi.fn(async () => ({
      lists: [
        { id: 2, name: 'Newsletter', totalSubscribers: 120, folderId: 1 },
        { id: 7, name: 'Customers', totalSubscribers: 30, folderId: 1 },
      ],
      count: 2,
      offset: 0,
      limit: 10,
    })),
    createBrevoList: vi.fn(async (name) => ({ id: 42, name, totalSubscribers: 0, folderId: 1 })),
    putList: vi.fn(async (_id, listId) => makeIntegration({ nextStep: 'preview', list: { id: listId, name: 'Newsletter' } })),
    getPreview: vi.fn(async () => makePreview()),
    activate: vi.fn(async () => makeIntegration({ status: 'active', nextStep: null })),
    pause: vi.fn(async () => makeIntegration({ status: 'paused', nextStep: null })),
    resume: vi.fn(async () => makeIntegration({ status: 'active', nextStep: null })),
    syncNow: vi.fn(async () => makeIntegration({ status: 'active', nextStep: null })),
    listRuns: vi.fn(async () => []),
    listRecordErrors: vi.fn(async () => makeRecordErrorPage()),
    retryRecordErrors: vi.fn(async () => ({ requested: 0 })),
  };
}
