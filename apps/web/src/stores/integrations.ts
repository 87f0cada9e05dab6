import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Integration, IntegrationKind } from '../api/types.ts';
import { describeError, type Translatable } from '../utils/describe-error.ts';
import { useContextStore } from './context.ts';

const POLL_INTERVAL_MS = 3000;

/** A first sync is running (or about to) when an active integration has not synced yet or reports progress. */
export function isSyncInProgress(integration: Integration): boolean {
  if (integration.sync?.running) return true;
  return (integration.status === 'active' || integration.status === 'error') && integration.lastSyncAt === null;
}

/** The account's integrations, as the integrations page lists them. */
export const useIntegrationsStore = defineStore('integrations', () => {
  const items = ref<Integration[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<Translatable | null>(null);
  let pollTimer: ReturnType<typeof setTimeout> | null = null;

  const syncing = computed(() => items.value.filter(isSyncInProgress));

  async function fetchAll(): Promise<void> {
    const api = useContextStore().requireApi();
    loading.value = true;
    error.value = null;
    try {
      items.value = await api.listIntegrations();
      loaded.value = true;
    } catch (caught) {
      error.value = describeError(caught);
    } finally {
      loading.value = false;
    }
  }

  function upsert(integration: Integration): void {
    const index = items.value.findIndex((item) => item.id === integration.id);
    if (index === -1) items.value.unshift(integration);
    else items.value.splice(index, 1, integration);
  }

  /** Creates a draft (R1, R2 enforced by the API; errors are thrown to the form). */
  async function create(kind: IntegrationKind, name: string): Promise<Integration> {
    const integration = await useContextStore().requireApi().createIntegration(kind, name.trim());
    upsert(integration);
    return integration;
  }

  async function remove(id: string): Promise<void> {
    await useContextStore().requireApi().deleteIntegration(id);
    items.value = items.value.filter((item) => item.id !== id);
  }

  /** Refreshes the list while a sync is in progress, so progress bars move. */
  function startPolling(): void {
    stopPolling();
    const tick = async () => {
      pollTimer = null;
      if (syncing.value.length === 0) return;
      await fetchAll();
      if (pollTimer === null && syncing.value.length > 0) pollTimer = setTimeout(tick, POLL_INTERVAL_MS);
    };
    pollTimer = setTimeout(tick, POLL_INTERVAL_MS);
  }

  function stopPolling(): void {
    if (pollTimer !== null) clearTimeout(pollTimer);
    pollTimer = null;
  }

  function reset(): void {
    stopPolling();
    items.value = [];
    loaded.value = false;
    error.value = null;
  }

  return { items, loading, loaded, error, syncing, fetchAll, upsert, create, remove, startPolling, stopPolling, reset };
});
