import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError } from '../api/api-error.ts';
import type { Integration, RecordError, Run } from '../api/types.ts';
import { describeError, type Translatable } from '../utils/describe-error.ts';
import { useContextStore } from './context.ts';
import { isSyncInProgress, useIntegrationsStore } from './integrations.ts';

const POLL_INTERVAL_MS = 3000;
/** After "Sync now", how long the page keeps refreshing until the requested run shows finished. */
const SYNC_NOW_WATCH_MS = 60_000;

/** `null` when the BFF does not offer this listing (yet): the page says so instead of failing. */
async function optional<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405 || error.status === 501)) return null;
    throw error;
  }
}

/** One integration's detail page: runs, record errors and lifecycle actions. */
export const useIntegrationDetailStore = defineStore('integration-detail', () => {
  const integration = ref<Integration | null>(null);
  const runs = ref<Run[] | null>(null);
  const recordErrors = ref<RecordError[] | null>(null);
  const loading = ref(false);
  const busy = ref(false);
  const error = ref<Translatable | null>(null);
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set by "Sync now": the newest run before it, and until when to wait for a newer one to finish. */
  let syncNowWatch: { before: string | null; until: number } | null = null;

  const api = () => useContextStore().requireApi();

  function adopt(next: Integration): void {
    integration.value = next;
    useIntegrationsStore().upsert(next);
  }

  async function loadActivity(id: string): Promise<void> {
    const [nextRuns, nextErrors] = await Promise.all([optional(() => api().listRuns(id)), optional(() => api().listRecordErrors(id))]);
    runs.value = nextRuns;
    recordErrors.value = nextErrors;
  }

  async function load(id: string): Promise<void> {
    if (integration.value?.id !== id) {
      integration.value = null;
      runs.value = null;
      recordErrors.value = null;
    }
    loading.value = true;
    error.value = null;
    try {
      adopt(await api().getIntegration(id));
      await loadActivity(id);
      schedulePoll();
    } catch (caught) {
      error.value = describeError(caught);
    } finally {
      loading.value = false;
    }
  }

  /** Runs a lifecycle action; returns whether it worked (errors are shown by the page). */
  async function act(action: (id: string) => Promise<Integration | void>): Promise<boolean> {
    const id = integration.value?.id;
    if (!id) return false;
    busy.value = true;
    error.value = null;
    try {
      const result = await action(id);
      if (result) adopt(result);
      await loadActivity(id).catch(() => {});
      schedulePoll();
      return true;
    } catch (caught) {
      // The integration was just loaded: a 404 here is an action the BFF does not offer (yet).
      error.value = caught instanceof ApiError && caught.status === 404 ? { key: 'detail.notAvailable', params: {} } : describeError(caught);
      return false;
    } finally {
      busy.value = false;
    }
  }

  const pause = () => act((id) => api().pause(id));
  const resume = () => act((id) => api().resume(id));
  const activate = () => act((id) => api().activate(id));
  /** Sync now and retry ask the workers for a run, which starts within seconds: refresh until it has finished. */
  function watchNextRun(): void {
    syncNowWatch = { before: runs.value?.[0]?.id ?? null, until: Date.now() + SYNC_NOW_WATCH_MS };
  }

  const syncNow = () => {
    watchNextRun();
    return act((id) => api().syncNow(id));
  };
  const retryFailed = () => {
    watchNextRun();
    return act(async (id) => {
      await api().retryRecordErrors(id);
    });
  };

  function awaitingSyncNow(): boolean {
    if (!syncNowWatch || Date.now() > syncNowWatch.until) return false;
    const newest = runs.value?.[0];
    if (newest && newest.id !== syncNowWatch.before && newest.finishedAt !== null) syncNowWatch = null;
    return syncNowWatch !== null;
  }

  async function remove(): Promise<boolean> {
    const id = integration.value?.id;
    if (!id) return false;
    busy.value = true;
    error.value = null;
    try {
      await useIntegrationsStore().remove(id);
      stopPolling();
      integration.value = null;
      return true;
    } catch (caught) {
      error.value = describeError(caught);
      return false;
    } finally {
      busy.value = false;
    }
  }

  function schedulePoll(): void {
    clearPollTimer();
    const current = integration.value;
    if (!current || !(isSyncInProgress(current) || awaitingSyncNow())) return;
    pollTimer = setTimeout(async () => {
      pollTimer = null;
      try {
        adopt(await api().getIntegration(current.id));
        await loadActivity(current.id);
      } catch {
        // Keep the last known state; the next action or visit refreshes it.
      }
      schedulePoll();
    }, POLL_INTERVAL_MS);
  }

  function clearPollTimer(): void {
    if (pollTimer !== null) clearTimeout(pollTimer);
    pollTimer = null;
  }

  function stopPolling(): void {
    clearPollTimer();
    syncNowWatch = null;
  }

  return { integration, runs, recordErrors, loading, busy, error, load, adopt, pause, resume, activate, syncNow, retryFailed, remove, stopPolling };
});
