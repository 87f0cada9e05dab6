import type { BrevoClient } from '@getbrevo/brevo';
import { assertSalesforceId, COLLECTION_MAX, quoteSoql, selectFields, streamQuery, type SalesforceRequester } from '@contact-sync/salesforce';
import {
  indexFieldsByName,
  filterKeyOf,
  IntegrationStatus,
  quotaMonth,
  RuleCode,
  statusAfterRun,
  warningThreshold,
  type RuleIssue,
  type SalesforceField,
  type SiblingIntegration,
} from '@contact-sync/rules';
import {
  emptyCounts,
  watermarkOf,
  type BrevoValues,
  type LinkDoc,
  type RecordErrorDoc,
  type Reservation,
  type RunCounts,
  type RunFinish,
  type RunTrigger,
  type SyncStateDoc,
  type SyncStore,
  type UnconfirmedImport,
  type Watermark,
} from '@contact-sync/store';
import type { RetryOptions } from '@contact-sync/retry';
import { rowOfChange, type RecordChange } from './change-events.ts';
import { brevoCaller, faultOf, isDailyLimit, salesforceCaller, type CallPolicy, type Caller, type IntegrationFault } from './classify.ts';
import type { BrevoRateLimits } from './rate-limits.ts';
import { apiUsageOf, CONCURRENCY_LIMIT_PAUSE_MS, dailyLimitPauseMs, type SalesforceOrgLimits } from './salesforce-limits.ts';
import { BrevoWriter, type WriteOutcome } from './brevo-writer.ts';
import { readChunkLinks } from './chunk-links.ts';
import { describeFieldsLoader } from './describe-fields.ts';
import { applyLeadConversion, convertedLeadTakeOver } from './lead-conversion.ts';
import { objectOf, type FieldsLoader, type IntegrationSnapshot, type IntegrationStatusPort } from './integration.ts';
import { DEFAULT_NOTICE_SENDER, sendQuotaNotice, type NoticeSender } from './notices.ts';
import { contactOf, countRow, operationsOf, planContextOf, planPage, recordQueryFields, runQueryOf, runStartOf, valuesByAttribute, type PlannedRow, type PlannedWrite, type RowResult, type SalesforceRow } from './plan.ts';
import { readAhead } from './read-ahead.ts';
import { recordErrorOf } from './record-issues.ts';

export interface EngineOptions {
  /** Salesforce query page (Sforce-Query-Options batchSize). */
  pageSize: number;
  /** Records written to Brevo per chunk: one import, one quota reservation, one watermark step. */
  chunkSize: number;
  clockSkewMs: number;
  importPollMs: number;
  importTimeoutMs: number;
  /**
   * Chunks of a run whose imports one look at the list confirms together (`HeldImports`): the fewer looks, the more
   * a short sum costs (their contacts read back together).
   */
  importsPerLook: number;
  /** How long runs wait after Salesforce's daily limit when the org's answer did not say its usage (else `dailyLimitPauseMs`). */
  salesforceLimitPauseMs: number;
  retry?: RetryOptions;
  onCall?: CallPolicy['onCall'];
  onRateLimited?: CallPolicy['onRateLimited'];
  sender: NoticeSender;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  pageSize: 2000,
  chunkSize: 10_000,
  clockSkewMs: 120_000,
  importPollMs: 200,
  importTimeoutMs: 10 * 60_000,
  importsPerLook: 20,
  salesforceLimitPauseMs: 15 * 60_000,
  sender: DEFAULT_NOTICE_SENDER,
};

/** Named points inside a chunk where a test may throw to simulate a crash. */
export type Checkpoint = 'planned' | 'reserved' | 'brevo-written' | 'links-saved' | 'settled' | 'watermark-advanced';

export interface EngineDeps {
  salesforce: SalesforceRequester;
  brevo: BrevoClient;
  store: SyncStore;
  statuses: IntegrationStatusPort;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  loadFields?: FieldsLoader;
  /** Where a run's describes are kept between runs (the worker's `DescribeCache`): wraps the run's own loader. */
  keptFields?: (fetch: FieldsLoader) => FieldsLoader;
  options?: Partial<EngineOptions>;
  checkpoint?: (point: Checkpoint, chunk: number) => void | Promise<void>;
  /** False once the run's lease is lost: the run stops before its next commit. */
  stillOwner?: () => Promise<boolean>;
  /** Why this run happens (recorded on its runs; default `schedule`). */
  trigger?: RunTrigger;
  /** The Brevo account's rate limits, shared by every worker (default: each caller paces itself). */
  brevoLimits?: BrevoRateLimits;
  /** The Salesforce org's daily-limit pause, shared by its integrations and every worker. */
  salesforceOrg?: SalesforceOrgLimits;
  /**
   * Asked between two chunks of a run: true when the run should give way to other integrations'
   * runs (it has run long enough and others are waiting). The run then stops after the chunk it
   * committed and asks for its continuation, which queues behind them.
   */
  shouldYield?: () => Promise<boolean>;
  /**
   * The integration's sync state as the worker read it at the run's start, under the lease this run holds (absent: the
   * run reads it). Nothing else writes what the run reads of it meanwhile: the watermark, the filter, the imports a
   * stopped run left, the retry requests (a later one is taken by the run it asked for).
   */
  state?: SyncStateDoc;
  /** Converted leads: the other integrations of the same account and Salesforce org (absent: none, so a converted lead's contact stops syncing). */
  siblings?: () => Promise<readonly SiblingIntegration[]>;
  /** The ids of the account's integrations on other Salesforce orgs, whose record Ids may repeat ours (R14: `planPage`'s `linkedByOtherOrg`; absent: none). */
  otherOrgIntegrations?: () => Promise<readonly string[]>;
}

/** `yielded`: a long run stopped between two chunks for other integrations' runs, and asked for its continuation. */
export type RunEnd = 'completed' | 'quota_exceeded' | 'paused' | 'auth_error' | 'failed' | 'lease_lost' | 'yielded';

export interface SalesforceToBrevoResult {
  runId: string | null;
  end: RunEnd;
  counts: RunCounts;
  operations: number;
  errors: number;
  warnings: number;
  initialLoad: boolean;
  error?: string;
}

interface Context {
  integration: IntegrationSnapshot;
  deps: EngineDeps;
  options: EngineOptions;
  now: () => Date;
  callSalesforce: Caller;
  callBrevo: Caller;
  writer: BrevoWriter;
  fieldsByName: ReadonlyMap<string, SalesforceField>;
  runId: string;
  /** The integration's monthly quota (R16), read once per run by its first chunk that writes (a run with nothing to write reads nothing). */
  quotaLimit: () => Promise<number>;
  /**
   * The chunk import stamp (`SyncStateDoc.pendingChunkKey`, `pendingImportSince`) as this run read it at its start and
   * wrote it since; absent (a retry, streamed changes): read when a chunk imports.
   */
  pendingImport?: Pick<SyncStateDoc, 'pendingChunkKey' | 'pendingImportSince'>;
  /** No link existed when the run started: chunks skip the link lookup (a record seen twice in the run is found again by its ext_id). */
  noLinksAtStart: boolean;
  /** A Leads integration's siblings, read once per run (converted leads); empty otherwise. */
  siblings: readonly SiblingIntegration[];
  /** The account's integrations on other Salesforce orgs, read once per run by its first chunk with records (a run with nothing to write reads nothing). */
  otherOrgIntegrations: () => Promise<readonly string[]>;
}

interface ChunkResult {
  watermark: Watermark | null;
  counts: RunCounts;
  operations: number;
  errors: number;
  warnings: number;
  stoppedByQuota: boolean;
}

export function chunkKeyOf(integrationId: string, from: Watermark | null): string {
  return `${integrationId}|${from?.ts ?? '-'}|${from?.id ?? '-'}`;
}

/**
 * The object's describe, fetched at most once for everything one integration
 * run does (Brevo → Salesforce, Salesforce → Brevo, retries), and not at all
 * while `keptFields` holds it from an earlier run: a run with nothing to write
 * then costs its `queryAll` and at most one describe.
 */
export function withRunFieldsLoader(deps: EngineDeps): EngineDeps {
  if (deps.loadFields) return deps;
  const fetch = describeFieldsLoader(deps.salesforce, engineSetup(deps).callSalesforce);
  return { ...deps, loadFields: deps.keptFields ? deps.keptFields(fetch) : fetch };
}

/** The retry policy, call counting and the account's Brevo rate limits every caller of a run shares. */
export function callPolicyOf(deps: EngineDeps, options: Pick<EngineOptions, 'retry' | 'onCall' | 'onRateLimited'> = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options }): CallPolicy {
  return {
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onCall ? { onCall: options.onCall } : {}),
    ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
    ...(deps.brevoLimits ? { brevoLimits: deps.brevoLimits } : {}),
  };
}

/** Options, clock and the retrying callers every engine entry point starts from. */
function engineSetup(deps: EngineDeps) {
  const options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
  const now = deps.now ?? (() => new Date());
  const policy = callPolicyOf(deps, options);
  return { options, now, callSalesforce: salesforceCaller(policy), callBrevo: brevoCaller(policy) };
}

/** What one run's chunks share: the object's fields, the Brevo writer, the quota limit. */
async function createRunContext(
  integration: IntegrationSnapshot,
  deps: EngineDeps,
  setup: ReturnType<typeof engineSetup>,
  runId: string,
  noLinksAtStart: boolean,
  pendingImport?: Pick<SyncStateDoc, 'pendingChunkKey' | 'pendingImportSince'>,
): Promise<Context> {
  const { options, now, callSalesforce, callBrevo } = setup;
  const loadFields = deps.loadFields ?? describeFieldsLoader(deps.salesforce, callSalesforce);
  const fields = await loadFields(objectOf(integration));
  let otherOrgIntegrations: Promise<readonly string[]> | undefined;
  let quotaLimit: Promise<number> | undefined;
  return {
    integration,
    deps,
    options,
    now,
    callSalesforce,
    callBrevo,
    writer: new BrevoWriter(deps.brevo, callBrevo, {
      listId: integration.listId,
      clockSkewMs: options.clockSkewMs,
      importPollMs: options.importPollMs,
      importTimeoutMs: options.importTimeoutMs,
      now,
      sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      ...(objectOf(integration) === 'Contact' ? { takeOverConvertedLead: convertedLeadTakeOver(integration, deps, callSalesforce, now) } : {}),
    }),
    fieldsByName: indexFieldsByName(fields),
    runId,
    quotaLimit: () => (quotaLimit ??= deps.store.quota.limitOf(integration.id)),
    ...(pendingImport ? { pendingImport: { pendingChunkKey: pendingImport.pendingChunkKey ?? null, pendingImportSince: pendingImport.pendingImportSince ?? null } } : {}),
    noLinksAtStart,
    siblings: objectOf(integration) === 'Lead' && deps.siblings ? await deps.siblings() : [],
    otherOrgIntegrations: () => (otherOrgIntegrations ??= deps.otherOrgIntegrations ? deps.otherOrgIntegrations() : Promise.resolve([])),
  };
}

/**
 * Salesforce → Brevo for one integration: the initial load (no watermark yet)
 * and every incremental run are the same loop over `queryAll` from the
 * `(SystemModstamp, Id)` watermark, streamed page by page (the next chunk's
 * pages read while a chunk is written) and written in chunks. Per chunk, in
 * this order (no transactions: the order is what makes a crash at any point
 * lose and duplicate nothing):
 *   1. plan against the links (unchanged records cost nothing);
 *   2. reserve the chunk's operations under the chunk key (a replay reuses it);
 *   3. write to Brevo (idempotent: import by ext_id, batch by contact id);
 *   4. save links stamped with the chunk key;
 *   5. settle the reservation to the records the chunk's links say were written;
 *   6. advance the watermark (conditional on where it was), then release the reservation.
 */
export async function syncSalesforceToBrevo(integration: IntegrationSnapshot, deps: EngineDeps): Promise<SalesforceToBrevoResult> {
  const setup = engineSetup(deps);
  const { options, now, callSalesforce } = setup;
  const { store } = deps;
  const state = deps.state ?? (await store.state.get(integration.id));
  // The worker chose this run's slot by the same decision, from the state it read under the lease this run holds.
  const start = runStartOf(state, integration, deps.trigger ?? 'schedule');
  const initialLoad = start.initialLoad;
  const result: SalesforceToBrevoResult = { runId: null, end: 'completed', counts: emptyCounts(), operations: 0, errors: 0, warnings: 0, initialLoad };

  if (await isPaused(integration.id, state.pausedUntil, deps, now())) return { ...result, end: 'paused' };

  const run = await store.runs.start(integration.id, 'salesforce_to_brevo', initialLoad, now(), deps.trigger);
  result.runId = run._id;
  let held: HeldImports | null = null;
  let context: Context | null = null;
  let total: number | null = null;
  let done = 0;
  // What the run's record does not hold yet: a run's progress is written after each chunk with more to come (the
  // progress bar of a long run), and its last chunk's with its end (`RunStore.finish`): a run of one chunk, the common
  // incremental run, writes its record at its start and at its end only.
  let unrecorded: { counts: RunCounts; operations: number } | null = null;
  try {
    context = await createRunContext(integration, deps, setup, run._id, initialLoad && !(await store.links.hasAny(integration.id)), state);

    const planContext = planContextOf(integration, context.fieldsByName);
    let watermark = start.from;
    if (start.filterChanged && !(await store.state.restartForFilter(integration.id, watermarkOf(state), filterKeyOf(planContext.filter)))) {
      throw new Error('watermark moved under this run; another run owns the integration');
    }
    // Imports a stopped run left unconfirmed: confirmed first (their chunks are read again from the watermark).
    await confirmStopped(context, state);
    held = new HeldImports(context);
    const soql = runQueryOf(integration, planContext, watermark, context.noLinksAtStart);
    let buffer: SalesforceRow[] = [];
    let chunkIndex = 0;
    // The next chunk's pages are read while this one is written to Brevo and its links saved.
    const pages = readAhead(streamQuery<SalesforceRow>(deps.salesforce, soql, { all: true, batchSize: options.pageSize, call: callSalesforce }), Math.ceil(options.chunkSize / options.pageSize));
    for await (const page of pages) {
      if (total === null) {
        total = page.totalSize;
        if (!page.done) await store.runs.addPage(run._id, {}, 0, { done: 0, total });
      }
      buffer.push(...page.records);
      if (buffer.length < options.chunkSize && !page.done) continue;
      // Nothing read since the last chunk (or at all): nothing to commit, so neither a lease check nor a chunk.
      if (buffer.length === 0) break;
      if (deps.stillOwner && !(await deps.stillOwner())) {
        result.end = 'lease_lost';
        break;
      }
      const chunk = await processChunk(context, buffer, watermark, chunkIndex++, undefined, held);
      done += chunk.counts.read;
      if (page.done) unrecorded = { counts: { ...chunk.counts }, operations: chunk.operations };
      else await store.runs.addPage(run._id, chunk.counts, chunk.operations, { done, total });
      addCounts(result, chunk);
      watermark = chunk.watermark;
      buffer = [];
      if (held.chunks >= options.importsPerLook) await recordConfirmed(context, run._id, result, await held.confirm(), { done, total });
      if (chunk.stoppedByQuota) {
        result.end = 'quota_exceeded';
        break;
      }
      if (!page.done && deps.shouldYield && (await deps.shouldYield())) {
        result.end = 'yielded';
        break;
      }
    }
    // A run that lost its lease leaves its imports to the next run (the watermark waits before them), their links saved.
    if (result.end !== 'lease_lost') {
      const confirmed = await held.confirm();
      if (unrecorded && (confirmed.operations > 0 || confirmed.errors > 0)) {
        // The last chunk's counts and the confirmation's corrections go with the run's end.
        addChunkCounts(unrecorded, confirmed);
        addCounts(result, confirmed);
      } else await recordConfirmed(context, run._id, result, confirmed, { done, total });
    } else await held.saved();
    const last = lastPageOf(unrecorded, done, total);

    if (result.end === 'quota_exceeded') {
      await stopAtQuota(integration, deps, run._id, now, last);
    } else if (result.end === 'lease_lost') {
      await store.runs.finish(run._id, 'stopped', now(), { code: 'lease_lost', message: 'Another worker took over this integration' }, last);
    } else if (result.end === 'yielded') {
      // What it wrote is committed; the continuation starts from the watermark, behind the runs it gave way to.
      await store.runs.finish(run._id, 'succeeded', now(), null, last);
      await store.state.requestSync(integration.id, now(), 'continuation');
    } else {
      // Reached the end of its query: an initial load is done, and the state records the completed run (one write).
      await store.runs.finish(run._id, 'succeeded', now(), null, { ...last, completed: { startedAt: run.startedAt, initialLoad } });
    }
    return result;
  } catch (error) {
    if (context && held) {
      try {
        await recordConfirmed(context, run._id, result, await held.confirm(), { done, total });
      } catch {
        // What the run wrote before it failed is committed if its imports can be confirmed now; else the next run confirms them (`confirmStopped`).
      }
    }
    return await failRun(integration, deps, options, now, run._id, result, error, lastPageOf(unrecorded, done, total));
  }
}

/** What a run's end adds to its record (`RunFinish.last`): the counts of its last chunk, when it had one. */
function lastPageOf(unrecorded: { counts: RunCounts; operations: number } | null, done: number, total: number | null): RunFinish {
  return unrecorded ? { last: { ...unrecorded, progress: { done, total } } } : {};
}

/** Adds a retried or streamed chunk to its run and result; true when the quota stopped it (the run is stopped). */
async function recordOutOfWatermarkChunk(
  integration: IntegrationSnapshot,
  deps: EngineDeps,
  runId: string,
  result: SalesforceToBrevoResult,
  chunk: ChunkResult,
  progress: { done: number; total: number },
  now: () => Date,
): Promise<boolean> {
  await deps.store.runs.addPage(runId, chunk.counts, chunk.operations, progress);
  addCounts(result, chunk);
  if (!chunk.stoppedByQuota) return false;
  result.end = 'quota_exceeded';
  await stopAtQuota(integration, deps, runId, now);
  return true;
}

/** R16: the run stops at the quota, and the integration is disabled until re-activated with quota available. */
async function stopAtQuota(integration: IntegrationSnapshot, deps: EngineDeps, runId: string, now: () => Date, end: RunFinish = {}): Promise<void> {
  await deps.store.runs.finish(runId, 'stopped', now(), { code: 'quota_exceeded', message: 'Monthly operation quota reached' }, end);
  await deps.statuses.setStatus(integration.id, { status: IntegrationStatus.DisabledQuota, code: 'quota_exceeded' });
}

/** The mapped fields of these records (at most COLLECTION_MAX), deleted ones included, as the watermark query reads them. */
async function recordsById(integration: IntegrationSnapshot, fieldsByName: ReadonlyMap<string, SalesforceField>, ids: readonly string[], deps: EngineDeps, call: Caller): Promise<SalesforceRow[]> {
  const soql = `SELECT ${selectFields(recordQueryFields(planContextOf(integration, fieldsByName))).join(', ')} FROM ${objectOf(integration)} WHERE Id IN (${ids.map(quoteSoql).join(', ')}) ORDER BY SystemModstamp ASC, Id ASC`;
  const rows: SalesforceRow[] = [];
  for await (const page of streamQuery<SalesforceRow>(deps.salesforce, soql, { all: true, call })) rows.push(...page.records);
  return rows;
}

async function failRun(
  integration: IntegrationSnapshot,
  deps: EngineDeps,
  options: EngineOptions,
  now: () => Date,
  runId: string,
  result: SalesforceToBrevoResult,
  error: unknown,
  end: RunFinish = {},
): Promise<SalesforceToBrevoResult> {
  const fault = faultOf(error);
  if (fault.kind === 'auth') {
    await deps.store.runs.finish(runId, 'failed', now(), { code: 'auth_error', message: fault.message }, end);
    await deps.statuses.setStatus(integration.id, { status: IntegrationStatus.AuthError, code: 'auth_error', message: fault.message });
    return { ...result, end: 'auth_error', error: fault.message };
  }
  if (fault.kind === 'salesforce_limit' || fault.kind === 'brevo_rate_limited') {
    await pauseAfter(integration.id, fault, error, deps, options, now());
    await deps.store.runs.finish(runId, 'stopped', now(), { code: fault.kind, message: fault.message }, end);
    return { ...result, end: 'paused', error: fault.message };
  }
  await deps.store.runs.finish(runId, 'failed', now(), { code: 'sync_failed', message: fault.message }, end);
  return { ...result, end: 'failed', error: fault.message };
}

/**
 * Whether the integration's runs wait: its own pause, or its Salesforce org's daily-limit pause (which
 * another integration of the org met; recorded on this one too, for its page to say so).
 */
export async function isPaused(integrationId: string, pausedUntil: Date | null | undefined, deps: EngineDeps, now: Date): Promise<boolean> {
  if (pausedUntil && pausedUntil.getTime() > now.getTime()) return true;
  const orgPausedUntil = await deps.salesforceOrg?.pausedUntil(now);
  if (!orgPausedUntil) return false;
  await deps.store.state.pauseUntil(integrationId, orgPausedUntil, 'salesforce_limit');
  return true;
}

/**
 * Pauses the integration after a limit: Brevo's for the reset it named; Salesforce's daily limit
 * for as long as the org needs to get a reserve back (`dailyLimitPauseMs`), the org's other
 * integrations with it; too many concurrent long requests, a minute.
 */
export async function pauseAfter(
  integrationId: string,
  fault: Extract<IntegrationFault, { kind: 'salesforce_limit' | 'brevo_rate_limited' }>,
  error: unknown,
  deps: EngineDeps,
  options: Pick<EngineOptions, 'salesforceLimitPauseMs'>,
  now: Date,
): Promise<void> {
  let waitMs: number;
  if (fault.kind === 'brevo_rate_limited') waitMs = fault.retryAfterMs;
  else if (isDailyLimit((error as { lastError?: unknown }).lastError ?? error)) waitMs = dailyLimitPauseMs(apiUsageOf(deps.salesforce), options.salesforceLimitPauseMs);
  else waitMs = CONCURRENCY_LIMIT_PAUSE_MS;
  const until = new Date(now.getTime() + waitMs);
  if (fault.kind === 'salesforce_limit' && waitMs !== CONCURRENCY_LIMIT_PAUSE_MS) await deps.salesforceOrg?.pause(until);
  await deps.store.state.pauseUntil(integrationId, until, fault.kind);
}

/** Adds a chunk's counts and operations to those a run's record does not hold yet. */
function addChunkCounts(unrecorded: { counts: RunCounts; operations: number }, chunk: ChunkResult): void {
  for (const key of Object.keys(unrecorded.counts) as (keyof RunCounts)[]) unrecorded.counts[key] += chunk.counts[key];
  unrecorded.operations += chunk.operations;
}

function addCounts(result: Pick<SalesforceToBrevoResult, 'counts' | 'operations' | 'errors' | 'warnings'>, chunk: ChunkResult): void {
  for (const key of Object.keys(result.counts) as (keyof RunCounts)[]) result.counts[key] += chunk.counts[key];
  result.operations += chunk.operations;
  result.errors += chunk.errors;
  result.warnings += chunk.warnings;
}

/** Whether a chunk's plan writes nothing to Brevo but creates (an import alone: `HeldImports`). */
function onlyCreates(planned: readonly PlannedRow[]): boolean {
  return planned.every((row) => row.kind === 'create' || row.kind === 'unchanged' || row.kind === 'rejected' || row.kind === 'skipped' || row.kind === 'notMatching' || row.kind === 'ignored');
}

/** What Brevo's answer made of a planned row (`countRow`). */
function resultOf(row: PlannedRow, outcome: WriteOutcome, failed: ReadonlyMap<string, RuleIssue>, deleted: ReadonlySet<string>): RowResult {
  if (row.kind === 'delete') return deleted.has(row.remove.salesforceId) ? 'written' : 'failed';
  if (row.kind === 'leave') return outcome.left.includes(row.leave.salesforceId) ? 'written' : 'failed';
  if (row.kind !== 'create' && row.kind !== 'update') return 'written';
  const failure = failed.get(row.write.salesforceId);
  if (failure) return failure.code === RuleCode.Duplicate ? 'duplicate' : 'failed';
  return outcome.written.has(row.write.salesforceId) ? 'written' : 'failed';
}

/** Cuts the plan before the first write the quota does not allow (R16: that write is not made). */
function cutToQuota(planned: PlannedRow[], allowed: number): PlannedRow[] {
  let ops = 0;
  for (let i = 0; i < planned.length; i += 1) {
    ops += operationsOf(planned[i]!);
    if (ops > allowed) return planned.slice(0, i);
  }
  return planned;
}

function modstampOf(row: PlannedRow): string {
  if (row.kind === 'create' || row.kind === 'update' || row.kind === 'recorded') return row.write.modstamp;
  if (row.kind === 'delete') return row.remove.modstamp;
  if (row.kind === 'leave') return row.leave.modstamp;
  return row.modstamp;
}

function salesforceIdOf(row: PlannedRow): string {
  if (row.kind === 'create' || row.kind === 'update' || row.kind === 'recorded') return row.write.salesforceId;
  if (row.kind === 'delete') return row.remove.salesforceId;
  if (row.kind === 'leave') return row.leave.salesforceId;
  return row.salesforceId;
}

/**
 * Links an import made know their contact by ext_id only (null `brevoId`: `BrevoWriter.allLanded`). Before their
 * first write (update, delete, leave) the id that ext_id resolves to is looked up (one call each, once: the link
 * keeps it), and the write names that id, never the email or SMS the link last wrote, which may be another
 * contact's. A link whose ext_id Brevo does not know (the import did not create its contact after all, or it was
 * deleted in Brevo since) is dropped, and the record is planned again as new: created, adopted or R15.
 * The same map when nothing needed resolving; else a new one, to plan the page again with.
 */
async function resolveImportedLinks(context: Context, links: Map<string, LinkDoc>, planned: readonly PlannedRow[]): Promise<Map<string, LinkDoc>> {
  const unresolved = planned.flatMap((row) => {
    const link = row.kind === 'update' ? row.write.link : row.kind === 'delete' ? row.remove.link : row.kind === 'leave' ? row.leave.link : undefined;
    return link && link.brevoId === null ? [link] : [];
  });
  if (unresolved.length === 0) return links;
  // A link that followed a converted lead: Brevo's ext_id still names the lead until its first write.
  const extIds = new Map(unresolved.map((link) => [link.movedFrom?.salesforceId ?? link.salesforceId, link.salesforceId]));
  const resolved = new Map(links);
  const gone: string[] = [];
  for (const [extId, brevoId] of await context.writer.resolveByExtId([...extIds.keys()])) {
    const salesforceId = extIds.get(extId)!;
    if (brevoId === null) {
      resolved.delete(salesforceId);
      gone.push(salesforceId);
    } else resolved.set(salesforceId, { ...resolved.get(salesforceId)!, brevoId });
  }
  await context.deps.store.links.removeMany(context.integration.id, gone);
  return resolved;
}

/**
 * A link's `attributesWrittenAt` after a write that sent `sent` at `sentAt` (before the call: the earliest the write can
 * have reached Brevo): those attributes stamped, the others Brevo holds for the record (`values`) keeping their earlier
 * stamp, those no longer mapped dropped. Undefined when nothing is stamped (the document stays as small as before).
 */
function attributesWrittenAfter(previous: Readonly<Record<string, Date>> | undefined, values: BrevoValues, sent: BrevoValues, sentAt: Date): Record<string, Date> | undefined {
  const stamps: Record<string, Date> = {};
  for (const name of Object.keys(valuesByAttribute(values))) if (previous && Object.hasOwn(previous, name)) stamps[name] = previous[name]!;
  for (const name of Object.keys(valuesByAttribute(sent))) stamps[name] = sentAt;
  return Object.keys(stamps).length === 0 ? undefined : stamps;
}

/** The rows a chunk's links say it imported, as the writer decides them (`BrevoWriter.confirm`). */
async function importedRowsOf(context: Context, key: string): Promise<PlannedWrite[]> {
  const links = await context.deps.store.links.findWrittenBy(context.integration.id, key);
  return links.map((link) => ({ salesforceId: link.salesforceId, modstamp: link.salesforceModstamp ?? '', values: link.values, hash: link.hash, changed: link.values, warnings: [] }));
}

/** The contact ids a read-back learned (a link keeps its id once known). */
function idsOf(outcome: WriteOutcome): Map<string, number> {
  return new Map([...outcome.written].flatMap(([salesforceId, brevoId]) => (brevoId === null ? [] : [[salesforceId, brevoId] as const])));
}

/**
 * Imports a run that stopped (a crash, a lost lease, a failure) left unconfirmed. Their chunks were not committed, so
 * the run reads them again from the watermark: the rows they did not create lose their links here, and the replay
 * plans them as new (created, adopted or R15, with its record error then); each chunk's reservation is settled to the
 * links it stamped and released, since the replay's chunks need not be cut where they were.
 */
async function confirmStopped(context: Context, state: Pick<SyncStateDoc, 'unconfirmedImports' | 'pendingChunkKey' | 'pendingImportSince'>): Promise<void> {
  const imports = state.unconfirmedImports ?? [];
  if (imports.length === 0) return;
  const { store } = context.deps;
  const outcome = await context.writer.confirm(imports, (key) => importedRowsOf(context, key));
  const notCreated = [...outcome.failures.map((failure) => failure.salesforceId), ...(outcome.unfinished?.salesforceIds ?? [])];
  await store.links.removeMany(context.integration.id, notCreated);
  await store.links.setBrevoIds(context.integration.id, idsOf(outcome));
  // Each chunk charged what its links say it wrote, the one the run stopped in too (after the held ones): the replay,
  // whatever its chunks, charges only what it adds.
  const chunks = imports.map((entry) => ({ key: entry.key, since: entry.since }));
  if (state.pendingChunkKey && state.pendingImportSince && !chunks.some((chunk) => chunk.key === state.pendingChunkKey)) {
    chunks.push({ key: state.pendingChunkKey, since: state.pendingImportSince });
  }
  for (const { key, since } of chunks) {
    await store.quota.settleKey(context.integration.id, quotaMonth(since), key, await store.links.countWrittenBy(context.integration.id, key));
  }
  await store.state.clearUnconfirmedImports(context.integration.id);
}

/**
 * Chunks of a watermark run that only create: each one's import is made without waiting (`importUnconfirmed`), its
 * links saved by ext_id and its records counted created at once, and its commit (quota settled, watermark advanced,
 * reservation released) held until one look at the list confirms several imports together (`confirm`). A chunk
 * that writes anything else confirms them first (`processChunk`): its updates would change the list's size, and
 * their links would be resolved by ext_id before Brevo holds them. The imports are kept in the integration's state
 * too, for a run after a crash to confirm (`confirmStopped`).
 */
class HeldImports {
  private held: { entry: UnconfirmedImport; commit: ChunkCommit; saved: Promise<void> }[] = [];

  constructor(private readonly context: Context) {}

  get chunks(): number {
    return this.held.length;
  }

  /** A chunk's import (already in the integration's state), its commit, and the saving of its links and record errors. */
  hold(entry: UnconfirmedImport, commit: ChunkCommit, saved: Promise<void>): void {
    // Awaited by `saved()` or `confirm`; a failure meanwhile is theirs to report, not an unhandled rejection.
    saved.catch(() => undefined);
    this.held.push({ entry, commit, saved });
  }

  /** Once every held chunk's links and record errors are saved (the first failure thrown, once all have settled). */
  async saved(): Promise<void> {
    await settleAll(this.held.map((chunk) => chunk.saved));
  }

  /**
   * One look for every held import; the rows they did not create (only when the sum fell short) unlinked, with their
   * record errors and counts, then the held chunks committed in order. An import that failed or did not end: its
   * rows unlinked and the run fails before any commit, so that the next run writes those chunks again.
   */
  async confirm(): Promise<ChunkResult> {
    const { integration, deps, writer } = this.context;
    const counts = emptyCounts();
    const result: ChunkResult = { watermark: null, counts, operations: 0, errors: 0, warnings: 0, stoppedByQuota: false };
    if (this.held.length === 0) return result;
    // Whatever happens next, these are confirmed once: on a failure, by the next run (`confirmStopped`).
    const held = this.held;
    this.held = [];
    // What the look may read back, and what the commits count, are the chunks' links.
    await settleAll(held.map((chunk) => chunk.saved));
    const rows = new Map<string, PlannedWrite>();
    const outcome = await writer.confirm(
      held.map((chunk) => chunk.entry),
      async (key) => {
        const written = await importedRowsOf(this.context, key);
        for (const write of written) rows.set(write.salesforceId, write);
        return written;
      },
    );
    const notCreated = [...outcome.failures.map((failure) => failure.salesforceId), ...(outcome.unfinished?.salesforceIds ?? [])];
    await deps.store.links.removeMany(integration.id, notCreated);
    await deps.store.links.setBrevoIds(integration.id, idsOf(outcome));
    if (outcome.unfinished) throw new Error(outcome.unfinished.message);
    const at = this.context.now();
    const recordErrors = outcome.failures.map((failure) =>
      recordErrorOf(failure.issue, 'error', {
        integrationId: integration.id,
        runId: this.context.runId,
        direction: 'salesforce_to_brevo',
        object: objectOf(integration),
        at,
        salesforceId: failure.salesforceId,
        brevoId: null,
        contact: { name: null, email: rows.get(failure.salesforceId)?.values.email ?? null },
      }),
    );
    await deps.store.errors.addMany(recordErrors);
    // Counted created when imported: a duplicate is rejected (R15), any other refusal failed (`countRow`).
    for (const failure of outcome.failures) {
      counts.created -= 1;
      if (failure.issue.code === RuleCode.Duplicate) counts.rejected += 1;
      else counts.failed += 1;
    }
    result.errors = recordErrors.length;
    for (const chunk of held) result.operations += await commitChunk(this.context, chunk.commit, notCreated.length > 0);
    await deps.store.state.clearUnconfirmedImports(integration.id);
    return result;
  }
}

/** Waits for every one of these to settle, then throws the first failure (none is left running behind an early throw). */
async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A confirmation's corrections and the operations its chunks' commits charged, added to the run. */
async function recordConfirmed(context: Context, runId: string, result: SalesforceToBrevoResult, confirmed: ChunkResult, progress: { done: number; total: number | null }): Promise<void> {
  if (confirmed.operations === 0 && confirmed.errors === 0) return;
  await context.deps.store.runs.addPage(runId, confirmed.counts, confirmed.operations, progress);
  addCounts(result, confirmed);
}

/**
 * How a chunk that does not come from the watermark query is written: under
 * its own quota key, the watermark left where it is; with the links already read.
 */
interface OutOfWatermarkChunk {
  key: string;
  links?: Map<string, LinkDoc>;
}

async function processChunk(context: Context, rows: SalesforceRow[], from: Watermark | null, chunkIndex: number, outside?: OutOfWatermarkChunk, held?: HeldImports): Promise<ChunkResult> {
  const { integration, deps, now } = context;
  const { store } = deps;
  const checkpoint = async (point: Parameters<NonNullable<EngineDeps['checkpoint']>>[0]) => deps.checkpoint?.(point, chunkIndex);
  const retryKey = outside?.key;
  const key = retryKey ?? chunkKeyOf(integration.id, from);
  const month = quotaMonth(now());
  const counts = emptyCounts();

  const chunkLinks = () => readChunkLinks(store.links, rows, {
    integrationId: integration.id,
    otherOrgIntegrations: context.otherOrgIntegrations,
    noLinksAtStart: context.noLinksAtStart,
    ...(outside?.links ? { links: outside.links } : {}),
  });
  // The chunk reads its own links only once the held chunks' are saved (a first load reads none but its deleted rows').
  if (held && (!context.noLinksAtStart || rows.some((row) => row.IsDeleted === true))) await held.saved();
  const read = await chunkLinks();
  const linkedByOtherOrg = read.linkedByOtherOrg;
  let links = read.links;
  let planned = planPage(rows, links, planContextOf(integration, context.fieldsByName, context.siblings), linkedByOtherOrg);
  // Anything but creates waits for the held imports: confirmed first, their rows not created unlinked, planned again.
  let confirmed: ChunkResult | null = null;
  if (held && held.chunks > 0 && !onlyCreates(planned)) {
    confirmed = await held.confirm();
    links = (await chunkLinks()).links;
    planned = planPage(rows, links, planContextOf(integration, context.fieldsByName, context.siblings), linkedByOtherOrg);
  }
  const resolved = await resolveImportedLinks(context, links, planned);
  if (resolved !== links) {
    links = resolved;
    planned = planPage(rows, links, planContextOf(integration, context.fieldsByName, context.siblings), linkedByOtherOrg);
  }
  await checkpoint('planned');

  // The chunk's import is stamped before its reservation: a run after a crash knows the key of the chunk it stopped in.
  const stamped = planned.some((row) => row.kind === 'create') ? await stampImport(context, key) : null;

  // 2. Reserve: what earlier attempts of this chunk made + what this one will make (`QuotaStore.reserve`; its first
  // attempt, the common case, in one write).
  const opsOf = (rows: PlannedRow[]) => rows.reduce((sum, row) => sum + operationsOf(row), 0);
  // What earlier attempts made, by the chunk's links: asked only when one left a reservation, and once.
  let madeBefore: Promise<number> | undefined;
  const countMadeBefore = () => (madeBefore ??= store.links.countWrittenBy(integration.id, key));
  let reservation: Reservation | null = null;
  let stoppedByQuota = false;
  // A chunk that plans no write still carries what an earlier attempt of it reserved (its links then say what it made).
  if (opsOf(planned) > 0 || (await store.quota.reservationOf(integration.id, month, key)) !== undefined) {
    const limit = await context.quotaLimit();
    let reserved = await store.quota.reserve(integration.id, month, key, opsOf(planned), limit, countMadeBefore);
    if (!reserved.ok) {
      // R16: make only the writes that fit; the one that would exceed is not made.
      stoppedByQuota = true;
      planned = cutToQuota(planned, reserved.available);
      reserved = await store.quota.reserve(integration.id, month, key, opsOf(planned), limit, countMadeBefore);
    }
    if (reserved.ok) reservation = reserved.reservation;
    else planned = cutToQuota(planned, 0);
  }
  await checkpoint('reserved');

  // 3. Write to Brevo.
  const creates = planned.flatMap((row) => (row.kind === 'create' ? [row.write] : []));
  const updates = planned.flatMap((row) => (row.kind === 'update' ? [row.write] : []));
  const deletes = planned.flatMap((row) => (row.kind === 'delete' ? [row.remove] : []));
  const leaves = planned.flatMap((row) => (row.kind === 'leave' ? [row.leave] : []));
  const importSince = creates.length > 0 ? stamped : null;
  // Before anything is sent: the earliest our write can reach Brevo (`attributesWrittenAfter`).
  const sentAt = now();
  // A chunk of a watermark run that only creates: imported, linked by ext_id, its commit held (`HeldImports`).
  const unconfirmed = held && importSince && onlyCreates(planned) ? await context.writer.importUnconfirmed(creates, key, importSince) : null;
  if (unconfirmed) await store.state.addUnconfirmedImport(integration.id, unconfirmed);
  const outcome: WriteOutcome = unconfirmed
    ? { written: new Map(creates.map((write) => [write.salesforceId, null])), deleted: [], left: [], failures: [] }
    : await context.writer.write(creates, updates, deletes, importSince, leaves);
  await checkpoint('brevo-written');

  // 4. Links for what Brevo confirmed; tombstones for unlinked records.
  const at = now();
  const newLinks: LinkDoc[] = [];
  // What each write stamps: a batch update what it changed. An import stamps nothing: its own event names the record in
  // EXT_ID and is never folded (`foldEvents`), and a contact it creates has no older event; so an initial load's links
  // stay as small as before.
  const sentBy = [...creates.map((write) => ({ write, sent: null })), ...updates.map((write) => ({ write, sent: write.changed }))];
  for (const { write, sent } of sentBy) {
    const brevoId = outcome.written.get(write.salesforceId);
    if (brevoId === undefined) continue;
    const attributesWrittenAt = sent === null ? write.link?.attributesWrittenAt : attributesWrittenAfter(write.link?.attributesWrittenAt, write.values, sent, sentAt);
    newLinks.push({
      integrationId: integration.id,
      salesforceId: write.salesforceId,
      brevoId,
      values: write.values,
      hash: write.hash,
      lastWrittenAt: at,
      ...(attributesWrittenAt ? { attributesWrittenAt } : {}),
      salesforceModstamp: write.modstamp,
      lastWriteKey: key,
    });
  }
  // Links whose only change is what they know of the opt-out: saved as they were written, not stamped with the chunk key (which counts writes for the quota).
  const recorded = planned.flatMap((row) => (row.kind === 'recorded' && row.write.link ? [{ ...row.write.link, values: row.write.values, hash: row.write.hash }] : []));
  // Out of the list: the link stays (marked), stamped with the chunk key like every write the quota counts.
  const left = new Set(outcome.left);
  const leftLinks: LinkDoc[] = leaves.flatMap((leave) =>
    left.has(leave.salesforceId) ? [{ ...leave.link, leftList: true as const, lastWrittenAt: at, salesforceModstamp: leave.modstamp, lastWriteKey: key }] : [],
  );
  const linkWrites: LinkWrites = {
    links: [...newLinks, ...recorded, ...leftLinks],
    replacing: new Set([...updates.map((write) => write.salesforceId), ...recorded.map((link) => link.salesforceId), ...leftLinks.map((link) => link.salesforceId)]),
    deleted: outcome.deleted,
    key,
    at,
  };
  // A held chunk (it only creates: no tombstone, no conversion) does not wait for its links: they are saved while the next
  // chunk is read, planned and imported (the database's time beside the run's, not after it), and its commit waits for
  // them (`HeldImports`). Any other chunk saves them before it goes on.
  if (!unconfirmed) await saveLinks(store, integration.id, linkWrites);
  const conversions = new Map<string, Awaited<ReturnType<typeof applyLeadConversion>>>();
  for (const row of planned) if (row.kind === 'converted') conversions.set(row.salesforceId, await applyLeadConversion(store, integration.id, row, at));
  if (!unconfirmed) await checkpoint('links-saved');

  // Record errors and warnings of this chunk.
  // Every record this chunk dealt with again closes its earlier errors; one still wrong gets a fresh one below.
  const rowsById = new Map(rows.map((row) => [row.Id, row]));
  const issueOf = (issue: RuleIssue, severity: 'error' | 'warning', salesforceId: string, brevoId?: number | null) =>
    recordErrorOf(issue, severity, {
      integrationId: integration.id,
      runId: context.runId,
      direction: 'salesforce_to_brevo',
      object: objectOf(integration),
      at,
      salesforceId,
      brevoId: brevoId ?? links.get(salesforceId)?.brevoId ?? null,
      contact: contactOf(rowsById.get(salesforceId)),
    });
  const recordErrors: RecordErrorDoc[] = [];
  const failed = new Map(outcome.failures.map((failure) => [failure.salesforceId, failure.issue]));
  for (const failure of outcome.failures) recordErrors.push(issueOf(failure.issue, 'error', failure.salesforceId));
  const deleted = new Set(outcome.deleted);
  const dealtWith: string[] = [];
  for (const row of planned) {
    if (row.kind === 'rejected') {
      for (const issue of row.issues) recordErrors.push(issueOf(issue, 'error', row.salesforceId));
    } else if (row.kind === 'skipped') {
      recordErrors.push(issueOf(row.issue, 'warning', row.salesforceId));
    }
    if (row.kind !== 'unchanged' && row.kind !== 'ignored') dealtWith.push(salesforceIdOf(row));
    countRow(counts, row, resultOf(row, outcome, failed, deleted));
    if (row.kind === 'recorded') for (const warning of row.write.warnings) recordErrors.push(issueOf(warning, 'warning', row.write.salesforceId));
    const conversion = conversions.get(salesforceIdOf(row));
    if (row.kind === 'converted' && conversion) recordErrors.push(issueOf(conversion.issue, conversion.severity, row.salesforceId, row.link.brevoId));
    if ((row.kind === 'create' || row.kind === 'update') && outcome.written.has(row.write.salesforceId)) {
      for (const warning of row.write.warnings) recordErrors.push(issueOf(warning, 'warning', row.write.salesforceId, outcome.written.get(row.write.salesforceId)));
    }
  }
  // A first load has no earlier errors to close (a replayed chunk's repeat is one per record and code in the list).
  const errorWrites: ErrorWrites = { resolved: context.noLinksAtStart ? [] : dealtWith, added: recordErrors, at };
  if (!unconfirmed) await saveErrors(store, integration.id, errorWrites);

  // 5. Settle to what this chunk wrote over all its attempts; 6. commit (held with its import: `HeldImports`).
  const last = planned.at(-1);
  const next = last && retryKey === undefined ? { ts: modstampOf(last), id: salesforceIdOf(last) } : null;
  const commit: ChunkCommit = {
    chunkIndex,
    key,
    from,
    next,
    month,
    reservation,
    made: newLinks.length + outcome.deleted.length + leftLinks.length,
    stamped: stamped !== null,
    stoppedByQuota,
  };
  let operations = 0;
  if (unconfirmed) {
    // One chunk's links in flight at most: when the database is the slower side, saves waiting in line would hold
    // every one of those chunks' links in memory (a 1,000,000-record load peaked higher than without any overlap).
    await held!.saved();
    held!.hold(unconfirmed, commit, saveHeldChunk(deps, integration.id, chunkIndex, linkWrites, errorWrites));
  } else operations = await commitChunk(context, commit, false);

  const errors = recordErrors.filter((error) => error.severity === 'error').length;
  const result: ChunkResult = { watermark: next ?? from, counts, operations, errors, warnings: recordErrors.length - errors, stoppedByQuota };
  if (confirmed) addCounts(result, confirmed);
  return result;
}

/**
 * When the chunk's import started (`SyncStateStore.importSince`): from the stamp the run knows when it knows it (read
 * at its start, written by it since), else read.
 */
async function stampImport(context: Context, key: string): Promise<Date> {
  const since = await context.deps.store.state.importSince(context.integration.id, key, context.now(), context.pendingImport);
  if (context.pendingImport) context.pendingImport = { pendingChunkKey: key, pendingImportSince: since };
  return since;
}

/**
 * What a chunk's commit needs: a few numbers, no rows (a held chunk keeps it until its import is confirmed, and a
 * closure made in `processChunk` would keep the whole chunk alive with it).
 */
interface ChunkCommit {
  chunkIndex: number;
  key: string;
  from: Watermark | null;
  /** Past the chunk's last row; null for a chunk outside the watermark (retries, streams). */
  next: Watermark | null;
  month: string;
  /** With its `earlier`: a reservation an earlier attempt of the chunk left (then its links, over every attempt, say what it made). */
  reservation: Reservation | null;
  /** The records this attempt wrote (links, tombstones, leaves). */
  made: number;
  /** Its import was stamped (`importSince`). */
  stamped: boolean;
  stoppedByQuota: boolean;
}

/** Step 4 of a chunk: its links (`replacing`: those that exist), and its tombstones. */
interface LinkWrites {
  links: LinkDoc[];
  replacing: ReadonlySet<string>;
  deleted: readonly string[];
  key: string;
  at: Date;
}

/** A chunk's record errors: the earlier ones of the records it dealt with closed, its own added. */
interface ErrorWrites {
  resolved: readonly string[];
  added: RecordErrorDoc[];
  at: Date;
}

async function saveLinks(store: SyncStore, integrationId: string, writes: LinkWrites): Promise<void> {
  await store.links.upsertMany(writes.links, writes.replacing);
  await store.links.markDeleted(integrationId, writes.deleted, writes.key, writes.at);
}

async function saveErrors(store: SyncStore, integrationId: string, writes: ErrorWrites): Promise<void> {
  await store.errors.resolve(integrationId, 'salesforce_to_brevo', writes.resolved, writes.at);
  await store.errors.addMany(writes.added);
}

/**
 * What a held chunk saves after its import while the run goes on: a function of its own, so that the pending save keeps
 * only what it writes, not the chunk's rows and plan (a closure made in `processChunk` would keep them all).
 */
async function saveHeldChunk(deps: EngineDeps, integrationId: string, chunkIndex: number, links: LinkWrites, errors: ErrorWrites): Promise<void> {
  await saveLinks(deps.store, integrationId, links);
  await deps.checkpoint?.('links-saved', chunkIndex);
  await saveErrors(deps.store, integrationId, errors);
}

/**
 * 5. Settle the reservation to what the chunk wrote over all its attempts (`corrected`: its held import's rows not
 * created were unlinked since, so its links say it); 6. advance the watermark past every row handled (a quota cut
 * stops before the first refused write), conditionally on where it was, then release the reservation. The operations
 * charged.
 */
async function commitChunk(context: Context, chunk: ChunkCommit, corrected: boolean): Promise<number> {
  const { integration, deps, now } = context;
  const { store } = deps;
  const checkpoint = async (point: Checkpoint) => deps.checkpoint?.(point, chunk.chunkIndex);
  const { reservation } = chunk;
  let usedAfter: number | null = null;
  let made = 0;
  if (reservation) {
    made = reservation.earlier === undefined && !corrected ? chunk.made : await store.links.countWrittenBy(integration.id, chunk.key);
    // Settled and forgotten before the watermark moves: the chunk's links are saved, so a replay after a crash here plans
    // its written records unchanged and charges only what it writes again.
    usedAfter = await store.quota.settleAndRelease(reservation, made);
  }
  await checkpoint('settled');
  if (chunk.next) {
    if (!(await store.state.advanceWatermark(integration.id, chunk.from, chunk.next, { clearPendingImport: chunk.stamped }))) throw new Error('watermark moved under this run; another run owns the integration');
  } else if (chunk.stamped) await store.state.clearPendingImport(integration.id);
  if (chunk.stamped && context.pendingImport) context.pendingImport = { pendingChunkKey: null, pendingImportSince: null };
  await checkpoint('watermark-advanced');

  // R16 emails.
  const notices = { ...deps, callBrevo: context.callBrevo, sender: context.options.sender, now };
  if (usedAfter !== null && usedAfter >= warningThreshold(await context.quotaLimit())) {
    await sendQuotaNotice(notices, integration, 'warning', chunk.month, usedAfter, await context.quotaLimit());
  }
  if (chunk.stoppedByQuota) {
    const used = await store.quota.used(integration.id, chunk.month);
    await sendQuotaNotice(notices, integration, 'exceeded', chunk.month, used, await context.quotaLimit());
  }
  return reservation ? made : 0;
}

/**
 * "Retry" from the UI: the given Salesforce records are read again now and go
 * through the same plan and writes as a sync, without moving the watermark
 * (the next scheduled run still sees every later change). Fixed records are
 * written; records still wrong get a fresh record error.
 */
export async function retrySalesforceRecords(integration: IntegrationSnapshot, salesforceIds: readonly string[], deps: EngineDeps): Promise<SalesforceToBrevoResult> {
  const setup = engineSetup(deps);
  const { options, now, callSalesforce } = setup;
  const { store } = deps;
  const result: SalesforceToBrevoResult = { runId: null, end: 'completed', counts: emptyCounts(), operations: 0, errors: 0, warnings: 0, initialLoad: false };
  const ids = [...new Set(salesforceIds)].map(assertSalesforceId);
  if (ids.length === 0) return result;
  const run = await store.runs.start(integration.id, 'salesforce_to_brevo', false, now(), 'retry');
  result.runId = run._id;
  try {
    const context = await createRunContext(integration, deps, setup, run._id, false);
    for (let i = 0; i < ids.length; i += COLLECTION_MAX) {
      const slice = ids.slice(i, i + COLLECTION_MAX);
      const rows = await recordsById(integration, context.fieldsByName, slice, deps, callSalesforce);
      const chunk = await processChunk(context, rows, null, i / COLLECTION_MAX, { key: `retry|${integration.id}|${run._id}|${i}` });
      if (await recordOutOfWatermarkChunk(integration, deps, run._id, result, chunk, { done: i + slice.length, total: ids.length }, now)) return result;
    }
    await store.runs.finish(run._id, 'succeeded', now());
    return result;
  } catch (error) {
    return await failRun(integration, deps, options, now, run._id, result, error);
  }
}

/**
 * Salesforce → Brevo for records whose changes arrived as change events
 * (Change Data Capture): the same plan, rules and writes as a run, recorded
 * as a run, without moving the watermark (the next watermark run still reads
 * everything after it). `key` is the quota key of this batch (stable across
 * a crash and the replay of the same events). Changes older than what a link
 * already holds are dropped (events replayed after a run read the record), and
 * records an update describes only in part, which Brevo does not hold yet
 * (or any, when the integration has a record filter), are read whole first.
 */
export async function applySalesforceChanges(integration: IntegrationSnapshot, changes: readonly RecordChange[], deps: EngineDeps, key: string): Promise<SalesforceToBrevoResult> {
  const setup = engineSetup(deps);
  const { options, now, callSalesforce } = setup;
  const { store } = deps;
  const result: SalesforceToBrevoResult = { runId: null, end: 'completed', counts: emptyCounts(), operations: 0, errors: 0, warnings: 0, initialLoad: false };
  if (changes.length === 0) return result;
  // Read for the run it may name: one a worker left running is closed before this batch's own starts.
  await store.runs.stateUnderLease(integration.id, now());
  const run = await store.runs.start(integration.id, 'salesforce_to_brevo', false, now(), 'salesforce_change');
  result.runId = run._id;
  try {
    const context = await createRunContext(integration, deps, setup, run._id, false);
    const planContext = planContextOf(integration, context.fieldsByName);
    const fields = recordQueryFields(planContext);
    const links = await store.links.findBySalesforceIds(integration.id, changes.map((change) => change.id));
    const current = changes.filter((change) => {
      const stamp = links.get(change.id)?.salesforceModstamp;
      return !stamp || Date.parse(toIso(change.modstamp)) >= Date.parse(toIso(stamp));
    });
    // With a record filter every update is read whole: whether the record matches depends on fields the event may not carry.
    // So is one whose link knows no Brevo id (made by an import): if Brevo turns out not to hold it, it is created again, whole.
    const readWhole = (change: RecordChange) => planContext.filter !== undefined || links.get(change.id)?.brevoId == null;
    const partial = new Set(current.filter((change) => !change.deleted && !change.complete && readWhole(change)).map((change) => assertSalesforceId(change.id)));
    const whole = new Map<string, SalesforceRow>();
    const toRead = [...partial];
    for (let i = 0; i < toRead.length; i += COLLECTION_MAX) {
      for (const row of await recordsById(integration, context.fieldsByName, toRead.slice(i, i + COLLECTION_MAX), deps, callSalesforce)) whole.set(row.Id, row);
    }
    const rows = current.flatMap((change) => {
      if (!partial.has(change.id)) return [rowOfChange(change, fields)];
      const row = whole.get(change.id);
      return row ? [row] : [];
    });
    const chunk = await processChunk(context, rows, null, 0, { key, links });
    chunk.counts.skippedUnchanged += changes.length - current.length;
    chunk.counts.read += changes.length - current.length;
    if (await recordOutOfWatermarkChunk(integration, deps, run._id, result, chunk, { done: changes.length, total: changes.length }, now)) return result;
    await store.runs.finish(run._id, 'succeeded', now());
    const next = statusAfterRun(integration.status, result.errors);
    if (next !== integration.status) await deps.statuses.setStatus(integration.id, { status: next, ...(result.errors > 0 ? { code: 'record_errors' } : {}) });
    return result;
  } catch (error) {
    return await failRun(integration, deps, options, now, run._id, result, error);
  }
}

/** Salesforce's `…+0000` date-times as ISO 8601 (Date.parse reads `Z` and `+00:00`). */
function toIso(value: string): string {
  return value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}
