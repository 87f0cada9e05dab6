import {
  describeMappingOptions,
  pairsValues,
  suggestMapping,
  suggestValuePairs,
  validateMapping,
  type BrevoOption,
  type ConflictPolicy,
  type MappingSettings,
  type OptOutSettings,
  type RecordFilter,
  type RuleIssue,
  type SyncDirection,
  type ValuePairs,
} from '@contact-sync/rules';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ApiError } from '../api/api-error.ts';
import {
  WIZARD_STEPS,
  type ApiIssue,
  type BrevoList,
  type Integration,
  type MappingOptionsResponse,
  type Preview,
  type WizardStep,
} from '../api/types.ts';
import { connectErrorKey, describeError, type Translatable } from '../utils/describe-error.ts';
import { useContextStore } from './context.ts';
import { useIntegrationsStore } from './integrations.ts';

const LIST_PAGE_SIZE = 10;

export type ConnectState =
  | { state: 'idle' }
  | { state: 'waiting' }
  | { state: 'failed'; messageKey: string };

/** The creation wizard (SPEC §2 steps 3–8) for one draft integration. */
export const useWizardStore = defineStore('wizard', () => {
  const integration = ref<Integration | null>(null);
  const step = ref<WizardStep>('connect');
  const loading = ref(false);
  const saving = ref(false);
  const error = ref<Translatable | null>(null);

  const connect = ref<ConnectState>({ state: 'idle' });
  const consentChecked = ref(false);

  const mappingInputs = shallowRef<MappingOptionsResponse | null>(null);
  const mapping = ref<Record<string, string>>({});
  /** Directions and conflict policy chosen beside the pairs (empty: the defaults). */
  const mappingSettings = ref<MappingSettings>({});
  /** Attributes whose field the form suggested (a mapping not saved yet) and the user has not changed. */
  const suggested = ref<ReadonlySet<string>>(new Set());
  /** Issues of the last rejected save (422), shown until the mapping changes. */
  const serverIssues = ref<ApiIssue[]>([]);

  const lists = ref<BrevoList[]>([]);
  const listCount = ref(0);
  const selectedListId = ref<number | null>(null);

  const preview = ref<Preview | null>(null);
  const previewUnavailable = ref(false);

  const api = () => useContextStore().requireApi();

  /** Steps up to the integration's `nextStep` are open; the ones after are not yet. */
  const reachableIndex = computed(() => {
    const next = integration.value?.nextStep;
    return next ? WIZARD_STEPS.indexOf(next) : WIZARD_STEPS.length - 1;
  });
  const stepIndex = computed(() => WIZARD_STEPS.indexOf(step.value));

  /** R5/R6 for the form: one row per Brevo attribute, eligible and ineligible fields with reasons. */
  const mappingOptions = computed(() =>
    mappingInputs.value ? describeMappingOptions(mappingInputs.value.salesforceFields, mappingInputs.value.brevoAttributes) : [],
  );
  /** R5/R6 checked on every change, no round-trip. */
  const localIssues = computed<RuleIssue[]>(() =>
    mappingInputs.value ? validateMapping(mapping.value, mappingInputs.value.salesforceFields, mappingInputs.value.brevoAttributes, mappingSettings.value) : [],
  );
  const mappingIssues = computed<ApiIssue[]>(() => (serverIssues.value.length > 0 ? serverIssues.value : localIssues.value));
  const canContinueMapping = computed(() => mappingInputs.value !== null && mappingIssues.value.length === 0);

  function reset(): void {
    integration.value = null;
    step.value = 'connect';
    error.value = null;
    connect.value = { state: 'idle' };
    consentChecked.value = false;
    mappingInputs.value = null;
    mapping.value = {};
    mappingSettings.value = {};
    suggested.value = new Set();
    serverIssues.value = [];
    lists.value = [];
    listCount.value = 0;
    selectedListId.value = null;
    preview.value = null;
    previewUnavailable.value = false;
  }

  function adopt(next: Integration): void {
    integration.value = next;
    consentChecked.value = consentChecked.value || next.consent !== null;
    if (next.list && selectedListId.value === null) selectedListId.value = next.list.id;
    useIntegrationsStore().upsert(next);
  }

  /** Opens the wizard on `id`, at `requested` if reachable, else where the draft stopped. */
  async function load(id: string, requested?: WizardStep): Promise<void> {
    if (integration.value?.id !== id) reset();
    loading.value = true;
    error.value = null;
    try {
      adopt(await api().getIntegration(id));
      const wanted = requested && WIZARD_STEPS.includes(requested) ? WIZARD_STEPS.indexOf(requested) : reachableIndex.value;
      step.value = WIZARD_STEPS[Math.min(wanted, reachableIndex.value)] ?? 'connect';
    } catch (caught) {
      error.value = describeError(caught);
    } finally {
      loading.value = false;
    }
  }

  async function refresh(): Promise<void> {
    if (integration.value) adopt(await api().getIntegration(integration.value.id));
  }

  function goTo(next: WizardStep): void {
    if (WIZARD_STEPS.indexOf(next) <= reachableIndex.value) step.value = next;
  }

  function advance(): void {
    const next = WIZARD_STEPS[stepIndex.value + 1];
    if (next) goTo(next);
  }

  /** Runs a save: marks saving, records a translated error, returns whether it worked. */
  async function run(action: () => Promise<void>): Promise<boolean> {
    saving.value = true;
    error.value = null;
    try {
      await action();
      return true;
    } catch (caught) {
      error.value = describeError(caught);
      return false;
    } finally {
      saving.value = false;
    }
  }

  // Step 3: the popup reports through the component; here we record the result.
  function connectStarted(): void {
    connect.value = { state: 'waiting' };
  }

  async function connectFinished(outcome: { ok: boolean; error?: string } | 'closed' | 'blocked'): Promise<void> {
    await refresh().catch(() => {});
    if (outcome === 'blocked') connect.value = { state: 'failed', messageKey: 'connect.popupBlocked' };
    else if (integration.value?.salesforce && (outcome === 'closed' || outcome.ok)) connect.value = { state: 'idle' };
    else if (outcome === 'closed') connect.value = { state: 'failed', messageKey: 'connect.cancelled' };
    else connect.value = { state: 'failed', messageKey: connectErrorKey(outcome.error ?? 'oauth_failed') };
  }

  // Step 4 (R4).
  async function saveConsent(): Promise<boolean> {
    const id = integration.value?.id;
    if (!id || !consentChecked.value) return false;
    return run(async () => adopt(await api().putConsent(id)));
  }

  // Step 5 (R5, R6).
  async function loadMappingOptions(): Promise<void> {
    const current = integration.value;
    if (!current) return;
    loading.value = true;
    error.value = null;
    try {
      const inputs = await api().getMappingOptions(current.id);
      mappingInputs.value = inputs;
      const saved = inputs.mapping ?? current.mapping;
      // A first mapping starts from the obvious pairs (the rules' suggestion), for the user to confirm or change.
      const initial = saved ?? suggestMapping(inputs.salesforceFields, inputs.brevoAttributes);
      mapping.value = { ...initial };
      mappingSettings.value = saved ? { ...(inputs.mappingSettings ?? current.mappingSettings ?? {}) } : {};
      if (!saved) for (const attribute of Object.keys(initial)) proposeValuePairs(attribute, initial[attribute]!);
      suggested.value = saved ? new Set() : new Set(Object.keys(initial));
    } catch (caught) {
      error.value = describeError(caught);
    } finally {
      loading.value = false;
    }
  }

  function setMapping(attribute: string, field: string): void {
    const next = { ...mapping.value };
    if (field) next[attribute] = field;
    else delete next[attribute];
    mapping.value = next;
    // Another field may not take the direction chosen for the previous one: back to the default.
    setDirection(attribute, null);
    proposeValuePairs(attribute, field);
    if (suggested.value.has(attribute)) suggested.value = new Set([...suggested.value].filter((name) => name !== attribute));
    serverIssues.value = [];
  }

  /** One attribute's entry of a per-attribute setting; `null` takes it out (and the setting, once empty). */
  function setAttributeSetting<K extends 'directions' | 'valuePairs'>(key: K, attribute: string, value: NonNullable<MappingSettings[K]>[string] | null): void {
    const { [key]: current, ...rest } = mappingSettings.value;
    const next: Record<string, unknown> = { ...current };
    if (value) next[attribute] = value;
    else delete next[attribute];
    mappingSettings.value = Object.keys(next).length > 0 ? { ...rest, [key]: next } : rest;
    serverIssues.value = [];
  }

  /** `null`: the pair's default direction. */
  function setDirection(attribute: string, direction: SyncDirection | null): void {
    setAttributeSetting('directions', attribute, direction);
  }

  /** A picklist chosen for a category attribute (a multi-select one for a multiple-choice attribute): its values paired by label, for the user to confirm or change. */
  function proposeValuePairs(attribute: string, fieldName: string): void {
    const inputs = mappingInputs.value;
    const field = inputs?.salesforceFields.find((candidate) => candidate.name === fieldName);
    const brevoAttribute = inputs?.brevoAttributes.find((candidate) => candidate.name === attribute);
    const pairs = field && brevoAttribute && pairsValues(field, brevoAttribute) ? suggestValuePairs(field, brevoAttribute) : null;
    setValuePairs(attribute, pairs);
  }

  function setValuePairs(attribute: string, pairs: ValuePairs | null): void {
    setAttributeSetting('valuePairs', attribute, pairs);
  }

  /** One Salesforce value's Brevo option; `null`: not synced. */
  function setValuePair(attribute: string, salesforceValue: string, option: BrevoOption | null): void {
    const pairs = { ...(mappingSettings.value.valuePairs?.[attribute] ?? {}) };
    if (option) pairs[salesforceValue] = option;
    else delete pairs[salesforceValue];
    setValuePairs(attribute, pairs);
  }

  function setConflictPolicy(policy: ConflictPolicy): void {
    mappingSettings.value = { ...mappingSettings.value, conflictPolicy: policy };
    serverIssues.value = [];
  }

  function setOptOuts(optOuts: OptOutSettings): void {
    mappingSettings.value = { ...mappingSettings.value, optOuts };
    serverIssues.value = [];
  }

  /** The record filter; `null`: none (every record syncs). */
  function setFilter(filter: RecordFilter | null): void {
    const { filter: _previous, ...rest } = mappingSettings.value;
    mappingSettings.value = filter ? { ...rest, filter } : rest;
    serverIssues.value = [];
  }

  async function saveMapping(): Promise<boolean> {
    const id = integration.value?.id;
    if (!id || !canContinueMapping.value) return false;
    saving.value = true;
    error.value = null;
    try {
      adopt(await api().putMapping(id, mapping.value, mappingSettings.value));
      return true;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422 && caught.issues.length > 0) serverIssues.value = caught.issues;
      else error.value = describeError(caught);
      return false;
    } finally {
      saving.value = false;
    }
  }

  // Step 6.
  async function loadLists(more = false): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const page = await api().listBrevoLists(more ? lists.value.length : 0, LIST_PAGE_SIZE);
      lists.value = more ? [...lists.value, ...page.lists] : page.lists;
      listCount.value = page.count;
      if (selectedListId.value === null && lists.value[0]) selectedListId.value = lists.value[0].id;
    } catch (caught) {
      error.value = describeError(caught);
    } finally {
      loading.value = false;
    }
  }

  async function createList(name: string): Promise<BrevoList | null> {
    let created: BrevoList | null = null;
    await run(async () => {
      created = await api().createBrevoList(name.trim());
      lists.value = [created, ...lists.value];
      listCount.value += 1;
      selectedListId.value = created.id;
    });
    return created;
  }

  async function saveList(): Promise<boolean> {
    const id = integration.value?.id;
    const listId = selectedListId.value;
    if (!id || listId === null) return false;
    return run(async () => adopt(await api().putList(id, listId)));
  }

  // Step 7 (Beyond): the preview is informative; saving never depends on it.
  async function loadPreview(): Promise<void> {
    const id = integration.value?.id;
    if (!id) return;
    loading.value = true;
    previewUnavailable.value = false;
    // Not the preview of an earlier visit (the mapping, filter or list may have changed since): nothing until this one is in.
    preview.value = null;
    try {
      preview.value = await api().getPreview(id);
    } catch {
      preview.value = null;
      previewUnavailable.value = true;
    } finally {
      loading.value = false;
    }
  }

  // Step 8.
  async function activate(): Promise<boolean> {
    const id = integration.value?.id;
    if (!id) return false;
    return run(async () => adopt(await api().activate(id)));
  }

  return {
    integration, step, loading, saving, error, connect, consentChecked,
    mappingInputs, mapping, mappingSettings, suggested, serverIssues, mappingOptions, localIssues, mappingIssues, canContinueMapping,
    lists, listCount, selectedListId, preview, previewUnavailable,
    reachableIndex, stepIndex,
    reset, load, refresh, goTo, advance,
    connectStarted, connectFinished, saveConsent,
    loadMappingOptions, setMapping, setDirection, setValuePair, setConflictPolicy, setOptOuts, setFilter, saveMapping,
    loadLists, createList, saveList,
    loadPreview, activate,
  };
});
