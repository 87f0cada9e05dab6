import { createTestingPinia } from '@pinia/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContactSyncApi } from '../api/contact-sync-api.ts';
import { createFakeApi, type FakeApi } from '../test-utils/fake-api.ts';
import { INTEGRATION_ID, makeIntegration, makeRun } from '../test-utils/fixtures.ts';
import { useContextStore } from './context.ts';
import { useIntegrationDetailStore } from './integration-detail.ts';

let api: FakeApi;

beforeEach(() => {
  vi.useFakeTimers();
  api = createFakeApi();
  const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
  useContextStore(pinia).configure(api as unknown as ContactSyncApi, 'http://localhost:4000');
  // Synced before: nothing in progress, so nothing would be polled without "Sync now".
  const synced = makeIntegration({ status: 'active', nextStep: null, lastSyncAt: '2026-11-27T10:05:04.000Z' });
  api.getIntegration.mockResolvedValue(synced);
  api.syncNow.mockResolvedValue(synced);
});
afterEach(() => {
  useIntegrationDetailStore().stopPolling();
  vi.useRealTimers();
});

const older = makeRun({ id: 'run1' });
const requested = makeRun({ id: 'run2', startedAt: '2026-11-27T11:00:00.000Z', finishedAt: null });
const done = { ...requested, finishedAt: '2026-11-27T11:00:02.000Z' };

describe('integration detail store', () => {
  it('after Sync now, refreshes until the requested run has finished, then stops', async () => {
    api.listRuns.mockResolvedValue([older]);
    const store = useIntegrationDetailStore();
    await store.load(INTEGRATION_ID);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.listRuns).toHaveBeenCalledTimes(1);

    await store.syncNow();
    expect(api.syncNow).toHaveBeenCalledWith(INTEGRATION_ID);
    await vi.advanceTimersByTimeAsync(3_000); // the worker has not started it yet
    api.listRuns.mockResolvedValue([requested, older]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(store.runs?.[0]?.id).toBe('run2');
    api.listRuns.mockResolvedValue([done, older]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(store.runs?.[0]?.finishedAt).not.toBeNull();

    const calls = api.listRuns.mock.calls.length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.listRuns).toHaveBeenCalledTimes(calls);
  });

  it('after Retry, refreshes until the run that retries has finished', async () => {
    api.listRuns.mockResolvedValue([older]);
    const store = useIntegrationDetailStore();
    await store.load(INTEGRATION_ID);
    expect(await store.retryRecordErrors('duplicate')).toBe(true);
    expect(api.retryRecordErrors).toHaveBeenCalledWith(INTEGRATION_ID, 'duplicate');
    api.listRuns.mockResolvedValue([done, older]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(store.runs?.[0]?.id).toBe('run2');
    const calls = api.listRuns.mock.calls.length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.listRuns).toHaveBeenCalledTimes(calls);
  });

  it('gives up watching a minute after Sync now when no run came', async () => {
    api.listRuns.mockResolvedValue([older]);
    const store = useIntegrationDetailStore();
    await store.load(INTEGRATION_ID);
    await store.syncNow();
    await vi.advanceTimersByTimeAsync(70_000);
    const calls = api.listRuns.mock.calls.length;
    expect(calls).toBeGreaterThan(10);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.listRuns).toHaveBeenCalledTimes(calls);
  });
});
