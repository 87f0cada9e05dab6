import { checkPlan } from '@contact-sync/rules';
import type { MountContext, SerializableContext } from '@contact-sync/contract';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ContactSyncApi } from '../api/contact-sync-api.ts';

/** The host's context for this mount and the API client bound to it. */
export const useContextStore = defineStore('context', () => {
  const context = ref<SerializableContext | null>(null);
  const api = shallowRef<ContactSyncApi | null>(null);
  /** Origin of the BFF: the only origin the OAuth callback message may come from. */
  const bffOrigin = ref('');

  const plan = computed(() => context.value?.plan ?? '');
  /** R1: the upgrade notice shows, and create/activate are offered, from the plan alone. */
  const planIssue = computed(() => checkPlan(plan.value));
  const canCreate = computed(() => planIssue.value === null);
  /** The host's upgrade flow, when it offers one (contract 1.1 `onUpgrade`). */
  const upgradeAction = shallowRef<(() => void) | null>(null);
  const canUpgrade = computed(() => upgradeAction.value !== null);

  function setContext(next: MountContext | SerializableContext): void {
    const { contractVersion, accountId, user, plan: nextPlan, basePath } = next;
    context.value = { contractVersion, accountId, user: { ...user }, plan: nextPlan, basePath };
    const onUpgrade = 'onUpgrade' in next ? next.onUpgrade : undefined;
    upgradeAction.value = typeof onUpgrade === 'function' ? () => onUpgrade.call(next) : null;
  }

  function upgrade(): void {
    upgradeAction.value?.();
  }

  function configure(client: ContactSyncApi, origin: string): void {
    api.value = client;
    bffOrigin.value = origin;
  }

  /** The API client; throws if the app was started without one (a wiring bug). */
  function requireApi(): ContactSyncApi {
    if (!api.value) throw new Error('contact-sync: API client not configured');
    return api.value;
  }

  return { context, api, bffOrigin, plan, planIssue, canCreate, canUpgrade, setContext, upgrade, configure, requireApi };
});
