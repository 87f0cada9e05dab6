import { createTestingPinia } from '@pinia/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-error.ts';
import type { ContactSyncApi } from '../api/contact-sync-api.ts';
import { createFakeApi, type FakeApi } from '../test-utils/fake-api.ts';
import { makeIntegration } from '../test-utils/fixtures.ts';
import { useContextStore } from './context.ts';
import { isSyncInProgress, useIntegrationsStore } from './integrations.ts';

let api: FakeApi;

beforeEach(() => {
  api = createFakeApi();
  const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
  useContextStore(pinia).configure(api as unknown as ContactSyncApi, 'http://localhost:4000');
});

describe('integrations store', () => {
  it('loads, creates and removes', async () => {
    api.listIntegrations.mockResolvedValue([makeIntegration({ id: 'x'.repeat(24) })]);
    const store = useIntegrationsStore();
    await store.fetchAll();
    expect(store.items).toHaveLength(1);
    expect(store.loaded).toBe(true);

    const created = await store.create('salesforce-leads', ' Leads ');
    expect(api.createIntegration).toHaveBeenCalledWith('salesforce-leads', 'Leads');
    expect(store.items[0]).toEqual(created);

    await store.remove(created.id);
    expect(store.items.map((item) => item.id)).toEqual(['x'.repeat(24)]);
  });

  it('translates a failure into a message key', async () => {
    api.listIntegrations.mockRejectedValue(new ApiError(0, 'network_error', 'fetch failed'));
    const store = useIntegrationsStore();
    await store.fetchAll();
    expect(store.error).toEqual({ key: 'errors.network_error', params: {} });
  });

  it('polls while a sync is in progress, then stops', async () => {
    vi.useFakeTimers();
    try {
      api.listIntegrations
        .mockResolvedValueOnce([makeIntegration({ status: 'active', lastSyncAt: null })])
        .mockResolvedValueOnce([makeIntegration({ status: 'active', lastSyncAt: '2026-11-27T10:05:00.000Z' })]);
      const store = useIntegrationsStore();
      await store.fetchAll();
      expect(store.syncing).toHaveLength(1);
      store.startPolling();
      await vi.advanceTimersByTimeAsync(3000);
      expect(api.listIntegrations).toHaveBeenCalledTimes(2);
      expect(store.syncing).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(api.listIntegrations).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('isSyncInProgress', () => {
  it('is true for an active integration that never synced or reports a running sync', () => {
    expect(isSyncInProgress(makeIntegration({ status: 'active', lastSyncAt: null }))).toBe(true);
    expect(isSyncInProgress(makeIntegration({ status: 'draft', lastSyncAt: null }))).toBe(false);
    expect(isSyncInProgress(makeIntegration({ status: 'paused', lastSyncAt: '2026-11-27T10:00:00Z', sync: { running: true, processed: 1, total: 2, startedAt: '2026-11-27T10:00:00Z' } }))).toBe(true);
  });
});
