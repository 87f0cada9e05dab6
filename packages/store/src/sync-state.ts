import type { RunCompletion, RunDoc, RunTrigger } from './runs.ts';
import type { Db } from './sync-db.ts';

/** The `(SystemModstamp, Id)` position up to which every record has been fully synced to Brevo. */
export interface Watermark {
  ts: string;
  id: string;
}

/** What the integration list shows of an integration's runs. */
export interface RunSummary {
  /** The run in progress (the newest started), with its progress. */
  currentRun: { runId: string; startedAt: Date; done: number; total: number | null } | null;
  /** When the last run ended, whatever its outcome. */
  lastSyncAt: Date | null;
}

/**
 * A chunk's Brevo import made and not yet known to have landed whole: its links are saved, its quota reservation is
 * open and the watermark waits before it until one look at the list's size confirms it with the imports made after it
 * (packages/sync `BrevoWriter.confirm`). Kept so that a run after a crash confirms it first.
 */
export interface UnconfirmedImport {
  /** The chunk's key: its links carry it (`lastWriteKey`). */
  key: string;
  /** Its Brevo imports: the opted-out records' apart (`blocklist`). */
  processes: { id: number; blocklist: boolean }[];
  rows: number;
  /** When the import started (its contacts are read back from then if they did not all land). */
  since: Date;
  /** The list's size the import counts from: the size before it, as the writer knew it. */
  sizeBefore: number;
}

export interface SyncStateDoc extends Partial<RunSummary> {
  _id: string;
  integrationId: string;
  watermarkTs: string | null;
  watermarkId: string | null;
  /** False until the initial load has reached the end of the query once. */
  initialLoadDone: boolean;
  /**
   * The record filter (`filterKeyOf`) the records up to the watermark were read with; absent or null: none. A run that
   * finds the integration's filter changed reads every record again from the start (`restartForFilter`).
   */
  filterKey?: string | null;
  /** Runs wait until then (Salesforce REQUEST_LIMIT_EXCEEDED, Brevo long rate-limit reset). */
  pausedUntil?: Date | null;
  pauseReason?: string | null;
  /** Brevo webhook registered on activation (id), its bearer secret sealed (packages/secrets) and its SHA-256 for verification. */
  brevoWebhookId?: number | null;
  webhookSecretSealed?: Record<string, unknown> | null;
  webhookSecretHash?: string | null;
  /**
   * The chunk being written (its key) and when its Brevo import started: a
   * replay of the same chunk after a crash reads imported contacts back from that time.
   */
  pendingChunkKey?: string | null;
  /** Salesforce Ids whose record errors the user asked to retry; the next run retries them. */
  retrySalesforceIds?: string[];
  pendingImportSince?: Date | null;
  /** Imports of a run in progress (or of a run that stopped) whose landing is not confirmed yet, in the order made. */
  unconfirmedImports?: UnconfirmedImport[];
  /** A run asked for ("Sync now", Brevo webhook events) and not yet taken by a worker: when. */
  requestedAt?: Date | null;
  /** What asked for that run (the run records it). */
  requestedTrigger?: RunTrigger | null;
  /** When the last watermark run that reached the end of its query had started (a stream's catch-up waits for one started after it fell back). */
  completedRunStartedAt?: Date | null;
  /** Runs that failed in a row (a failing org, an API that does not answer); 0 again after a run that completes. */
  failuresInARow?: number;
  /** Scheduled runs wait until then after failures (back-off); a requested run ("Sync now", Brevo changes) does not. */
  backoffUntil?: Date | null;
  updatedAt: Date;
}

export const SYNC_STATES = 'sync_states';

/** A state as first written, whichever write comes first. */
function newState(integrationId: string, now: Date) {
  return { integrationId, watermarkTs: null, watermarkId: null, initialLoadDone: false, pausedUntil: null, pauseReason: null, updatedAt: now };
}

/**
 * One document per integration (`_id`: its id): where the sync stands, what was
 * asked of it, and the summary of its runs. Writers change their own fields with
 * single-document updates, so none of them puts back what another wrote.
 */
export class SyncStateStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<SyncStateDoc>(SYNC_STATES);
  }

  async ensureIndexes(): Promise<void> {
    // The workers look for requested runs every second.
    await this.collection.createIndex({ requestedAt: 1 }, { name: 'requested_at' });
    // The workers' metrics count the integrations in back-off: a range over this index, as long as their number.
    await this.collection.createIndex({ backoffUntil: 1 }, { name: 'backoff_until' });
  }

  /** Integrations whose scheduled runs are held back by failures now (every worker's, not only this one's). */
  async countBackingOff(now: Date, maxTimeMS = 2_000): Promise<number> {
    return this.collection.countDocuments({ backoffUntil: { $gt: now } }, { maxTimeMS });
  }

  async get(integrationId: string): Promise<SyncStateDoc> {
    const found = await this.collection.findOne({ _id: integrationId });
    if (found) return found;
    await this.collection.updateOne({ _id: integrationId }, { $setOnInsert: newState(integrationId, new Date()) }, { upsert: true });
    return (await this.collection.findOne({ _id: integrationId }))!;
  }

  /**
   * Moves the watermark forward from `from` to `to`; conditional on `from` so a
   * stale run (lease lost) can never move it back or sideways.
   */
  async advanceWatermark(integrationId: string, from: Watermark | null, to: Watermark, options: { clearPendingImport?: boolean } = {}): Promise<boolean> {
    // The chunk's import stamp goes with the step that commits it (one write: `clearPendingImport`'s fields).
    const pending = options.clearPendingImport ? { pendingChunkKey: null, pendingImportSince: null } : {};
    const result = await this.collection.updateOne(
      { _id: integrationId, watermarkTs: from?.ts ?? null, watermarkId: from?.id ?? null },
      { $set: { watermarkTs: to.ts, watermarkId: to.id, ...pending, updatedAt: new Date() } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * The integration's record filter changed since the records up to the watermark were read: the watermark goes back
   * to the start (every record is read again, and those that stopped or started matching leave or join the list),
   * conditional on where it was, as `advanceWatermark`. A state without a watermark only takes the new key.
   */
  async restartForFilter(integrationId: string, from: Watermark | null, filterKey: string | null): Promise<boolean> {
    const result = await this.collection.updateOne(
      { _id: integrationId, watermarkTs: from?.ts ?? null, watermarkId: from?.id ?? null },
      { $set: { watermarkTs: null, watermarkId: null, filterKey, updatedAt: new Date() } },
    );
    return result.matchedCount === 1;
  }

  /**
   * When the chunk's import first started (kept across a crash and replay of the same chunk). `known`: the stamp as the
   * caller knows it (read under the integration's lease at its run's start, and kept since), saving the read.
   */
  async importSince(integrationId: string, chunkKey: string, now: Date, known?: Pick<SyncStateDoc, 'pendingChunkKey' | 'pendingImportSince'>): Promise<Date> {
    const state = known ?? (await this.get(integrationId));
    if (state.pendingChunkKey === chunkKey && state.pendingImportSince) return state.pendingImportSince;
    await this.collection.updateOne({ _id: integrationId }, { $set: { pendingChunkKey: chunkKey, pendingImportSince: now, updatedAt: now } });
    return now;
  }

  async clearPendingImport(integrationId: string): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { pendingChunkKey: null, pendingImportSince: null } });
  }

  async addUnconfirmedImport(integrationId: string, entry: UnconfirmedImport): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $push: { unconfirmedImports: entry } });
  }

  async clearUnconfirmedImports(integrationId: string): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { unconfirmedImports: [] } });
  }

  async markInitialLoadDone(integrationId: string): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { initialLoadDone: true, updatedAt: new Date() } });
  }

  /**
   * Counts a failed run (atomically: two workers' failures both count) and holds scheduled runs back
   * for `backoffMs(failures in a row)`. Returns the failures in a row.
   */
  async recordFailure(integrationId: string, now: Date, backoffMs: (failuresInARow: number) => number): Promise<number> {
    const counted = await this.collection.findOneAndUpdate({ _id: integrationId }, { $inc: { failuresInARow: 1 } }, { returnDocument: 'after' });
    const failures = counted?.failuresInARow ?? 1;
    await this.collection.updateOne({ _id: integrationId }, { $set: { backoffUntil: new Date(now.getTime() + backoffMs(failures)), updatedAt: now } });
    return failures;
  }

  async pauseUntil(integrationId: string, until: Date, reason: string): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { pausedUntil: until, pauseReason: reason, updatedAt: new Date() } });
  }

  async clearPause(integrationId: string): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { pausedUntil: null, pauseReason: null, updatedAt: new Date() } });
  }

  async setWebhook(integrationId: string, webhookId: number | null, secretSealed: Record<string, unknown> | null, secretHash: string | null): Promise<void> {
    await this.get(integrationId);
    await this.collection.updateOne(
      { _id: integrationId },
      { $set: { brevoWebhookId: webhookId, webhookSecretSealed: secretSealed, webhookSecretHash: secretHash, updatedAt: new Date() } },
    );
  }

  /** Read-only: the state if it exists (the webhook receiver must not create one for an unknown id). */
  async find(integrationId: string): Promise<SyncStateDoc | null> {
    return this.collection.findOne({ _id: integrationId });
  }

  /** Which of these integrations have their initial load done, in one find that reads only their ids. */
  async initialLoadsDone(integrationIds: readonly string[]): Promise<Set<string>> {
    if (integrationIds.length === 0) return new Set();
    const found = await this.collection.find({ _id: { $in: [...new Set(integrationIds)] }, initialLoadDone: true }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((doc) => doc._id));
  }

  /**
   * "Sync now" (or a Brevo webhook's events): recorded so any worker picks it
   * up (the BFF does not talk to Agenda). Workers look for requests every second.
   * The latest request names the run's trigger.
   */
  async requestSync(integrationId: string, now: Date, trigger: RunTrigger): Promise<void> {
    await this.collection.updateOne(
      { _id: integrationId },
      { $set: { requestedAt: now, requestedTrigger: trigger }, $setOnInsert: newState(integrationId, now) },
      { upsert: true },
    );
  }

  /** When a run not yet started was asked for, if one was. */
  async syncRequestedAt(integrationId: string): Promise<Date | null> {
    return (await this.collection.findOne({ _id: integrationId }, { projection: { requestedAt: 1 } }))?.requestedAt ?? null;
  }

  /** The runs asked for and not yet taken (the `requested_at` index: no other state is read). */
  async syncRequests(): Promise<{ integrationId: string; at: Date; trigger: RunTrigger }[]> {
    const requested = await this.collection.find({ requestedAt: { $gt: new Date(0) } }, { projection: { requestedAt: 1, requestedTrigger: 1 } }).toArray();
    return requested.map((doc) => ({ integrationId: doc._id, at: doc.requestedAt!, trigger: doc.requestedTrigger ?? 'sync_now' }));
  }

  /** Takes the request made at `at`: true for the one caller that took it (false if asked again since, or taken). */
  async takeSyncRequest(integrationId: string, at: Date): Promise<boolean> {
    const result = await this.collection.updateOne({ _id: integrationId, requestedAt: at }, { $set: { requestedAt: null } });
    return result.modifiedCount === 1;
  }

  /** "Retry" on record errors: remembered until the worker's next run of the integration takes them. */
  async requestRetry(integrationId: string, salesforceIds: readonly string[]): Promise<void> {
    await this.get(integrationId);
    await this.collection.updateOne({ _id: integrationId }, { $addToSet: { retrySalesforceIds: { $each: [...salesforceIds] } } });
  }

  /** The Ids to retry; `clearRetry` removes exactly those once retried (later requests stay). */
  async retryRequests(integrationId: string): Promise<string[]> {
    return (await this.collection.findOne({ _id: integrationId }))?.retrySalesforceIds ?? [];
  }

  async clearRetry(integrationId: string, salesforceIds: readonly string[]): Promise<void> {
    if (salesforceIds.length === 0) return;
    await this.collection.updateOne({ _id: integrationId }, { $pullAll: { retrySalesforceIds: [...salesforceIds] } });
  }

  /** The run summaries of several integrations, in one find: every id is in the map. */
  async runSummaries(integrationIds: readonly string[]): Promise<Map<string, RunSummary>> {
    const unique = [...new Set(integrationIds)];
    const found = unique.length === 0 ? [] : await this.collection.find({ _id: { $in: unique } }, { projection: { currentRun: 1, lastSyncAt: 1 } }).toArray();
    const byId = new Map(found.map((doc) => [doc._id, doc]));
    return new Map(unique.map((id) => [id, { currentRun: byId.get(id)?.currentRun ?? null, lastSyncAt: byId.get(id)?.lastSyncAt ?? null }]));
  }

  /** RunStore, when a run starts: it is the run in progress. */
  async runStarted(run: RunDoc): Promise<void> {
    await this.collection.updateOne(
      { _id: run.integrationId },
      { $set: { currentRun: { runId: run._id, startedAt: run.startedAt, done: run.progress.done, total: run.progress.total } }, $setOnInsert: newState(run.integrationId, run.startedAt) },
      { upsert: true },
    );
  }

  /** RunStore, after each page: the progress, while the run is still the one in progress. */
  async runProgressed(run: RunDoc): Promise<void> {
    await this.collection.updateOne(
      { _id: run.integrationId, 'currentRun.runId': run._id },
      { $set: { 'currentRun.done': run.progress.done, 'currentRun.total': run.progress.total } },
    );
  }

  /**
   * RunStore, when a run ends: no longer in progress (unless a newer one is), and the last sync. A run that reached the
   * end of its query (`completed`) also records when it started (`completedRunStartedAt`), ends the failures in a row
   * and their back-off, and ends the initial load if it was one: in the same write.
   */
  async runEnded(run: RunDoc & { endedAt: Date }, completed?: RunCompletion): Promise<void> {
    const completion = completed
      ? { completedRunStartedAt: completed.startedAt, failuresInARow: 0, backoffUntil: null, ...(completed.initialLoad ? { initialLoadDone: true } : {}), updatedAt: run.endedAt }
      : {};
    const ended = await this.collection.updateOne(
      { _id: run.integrationId, 'currentRun.runId': run._id },
      { $set: { currentRun: null, ...completion }, $max: { lastSyncAt: run.endedAt } },
    );
    if (ended.matchedCount === 0) await this.collection.updateOne({ _id: run.integrationId }, { ...(completed ? { $set: completion } : {}), $max: { lastSyncAt: run.endedAt } });
  }

  /** RunStore, after closing the runs a dead worker left running. */
  async runsAbandoned(integrationId: string, now: Date): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { currentRun: null }, $max: { lastSyncAt: now } });
  }

  async remove(integrationId: string): Promise<void> {
    await this.collection.deleteOne({ _id: integrationId });
  }
}

export function watermarkOf(state: Pick<SyncStateDoc, 'watermarkTs' | 'watermarkId'>): Watermark | null {
  return state.watermarkTs != null && state.watermarkId != null ? { ts: state.watermarkTs, id: state.watermarkId } : null;
}
