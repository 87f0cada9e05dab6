import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError } from '../api/api-error.ts';
import type { Integration, RecordError, RecordErrorPage, Run } from '../api/types.ts';
import { describeError, type Translatable } from '../utils/describe-error.ts';
import { useContextStore } from './context.ts';
import { isSyncInProgress, useIntegrationsStore } from './integrations.ts';

const POLL_INTERVAL_MS = 3000;
/** After "Sync now", how long the page keeps refreshing until the requested run shows finished. */
const SYNC_NOW_WATCH_MS = 60_000;
/** Record errors shown at first and added by "Show more". */
export const RECORD_ERRORS_PAGE = 25;
/** Record errors per request of a CSV export (the BFF's largest page). */
const EXPORT_PAGE = 500;

/** What the record errors list shows: a search (name, email, id) and one cause. */
export interface RecordErrorFilter {
  q: string;
  code: string | null;
}

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
  /** The open record errors shown (the pages loaded so far), their causes and how many match the filter. */
  const recordErrors = ref<RecordErrorPage | null>(null);
  const errorFilter = ref<RecordErrorFilter>({ q: '', code: null });
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

  const errorsQuery = (offset: number, limit: number) => ({
    offset,
    limit,
    ...(errorFilter.value.q.trim() ? { q: errorFilter.value.q.trim() } : {}),
    ...(errorFilter.value.code ? { code: errorFilter.value.code } : {}),
  });

  async function loadActivity(id: string): Promise<void> {
    // A refresh keeps as many record errors as were shown ("Show more").
    const shown = Math.max(RECORD_ERRORS_PAGE, recordErrors.value?.recordErrors.length ?? 0);
    const [nextRuns, nextErrors] = await Promise.all([
      optional(() => api().listRuns(id)),
      optional(() => api().listRecordErrors(id, errorsQuery(0, Math.min(shown, EXPORT_PAGE)))),
    ]);
    runs.value = nextRuns;
    recordErrors.value = nextErrors;
  }

  /** The record errors of another search or cause (`code: null`: every cause), from the first page. */
  async function filterRecordErrors(filter: RecordErrorFilter): Promise<void> {
    const id = integration.value?.id;
    if (!id) return;
    errorFilter.value = { ...filter };
    try {
      recordErrors.value = await optional(() => api().listRecordErrors(id, errorsQuery(0, RECORD_ERRORS_PAGE)));
    } catch (caught) {
      error.value = describeError(caught);
    }
  }

  async function showMoreRecordErrors(): Promise<void> {
    const id = integration.value?.id;
    const current = recordErrors.value;
    if (!id || !current) return;
    try {
      const next = await api().listRecordErrors(id, errorsQuery(current.recordErrors.length, RECORD_ERRORS_PAGE));
      recordErrors.value = { ...next, recordErrors: [...current.recordErrors, ...next.recordErrors], offset: 0 };
    } catch (caught) {
      error.value = describeError(caught);
    }
  }

  /** Every record error the list matches now, page after page (the CSV export). */
  async function allRecordErrors(): Promise<RecordError[]> {
    const id = integration.value?.id;
    if (!id) return [];
    const all: RecordError[] = [];
    for (;;) {
      const page = await api().listRecordErrors(id, errorsQuery(all.length, EXPORT_PAGE));
      all.push(...page.recordErrors);
      if (page.recordErrors.length === 0 || all.length >= page.total) return all;
    }
  }

  async function load(id: string): Promise<void> {
    if (integration.value?.id !== id) {
      integration.value = null;
      runs.value = null;
      recordErrors.value = null;
      errorFilter.value = { q: '', code: null };
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
  /** How many records the last retry asked to read again. */
  const retried = ref(0);
  /** "Retry" for one cause (only offered where a retry can succeed). */
  const retryRecordErrors = (code: string) => {
    watchNextRun();
    return act(async (id) => {
      retried.value = (await api().retryRecordErrors(id, code)).requested;
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

  return {
    integration, runs, recordErrors, errorFilter, loading, busy, error, retried,
    load, adopt, pause, resume, activate, syncNow, retryRecordErrors, filterRecordErrors, showMoreRecordErrors, allRecordErrors, remove, stopPolling,
  };
});
