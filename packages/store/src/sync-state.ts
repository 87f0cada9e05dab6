import { randomUUID } from 'node:crypto';
import type { RunTrigger } from './runs.ts';
import { upsertById, type Db } from './sync-db.ts';

/** The `(SystemModstamp, Id)` position up to which every record has been fully synced to Brevo. */
export interface Watermark {
  ts: string;
  id: string;
}

export interface SyncStateDoc {
  _id: string;
  integrationId: string;
  watermarkTs: string | null;
  watermarkId: string | null;
  /** False until the initial load has reached the end of the query once. */
  initialLoadDone: boolean;
  /** Salesforce's `totalSize` of the run in progress, for the progress bar. */
  lastTotal?: number;
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
  updatedAt: Date;
}

export const SYNC_STATES = 'sync_states';
/**
 * Runs asked for ("Sync now", Brevo webhook events), one document per integration
 * (`_id`), apart from the sync state: the local FerretDB rewrites a whole document
 * on every update, so a request written while a run moved the watermark in the
 * same document could put the old watermark back (measured: an initial load
 * failed with "watermark moved under this run" once webhooks asked for runs).
 */
export const SYNC_REQUESTS = 'sync_requests';
/** One document: changed whenever a run is asked for, so workers can watch for requests by `_id`. */
export const SYNC_REQUEST_SIGNALS = 'sync_request_signals';
const SYNC_REQUEST_SIGNAL_ID = 'latest';

export class SyncStateStore {
  constructor(private readonly db: Db) {}

  private get collection() {
    return this.db.collection<SyncStateDoc>(SYNC_STATES);
  }

  private get requests() {
    return this.db.collection<{ _id: string; at: Date; trigger?: RunTrigger }>(SYNC_REQUESTS);
  }

  private get signals() {
    return this.db.collection<{ _id: string; token: string; at: Date }>(SYNC_REQUEST_SIGNALS);
  }

  async ensureIndexes(): Promise<void> {
    // _id is the integration id: one document per integration, unique by construction.
  }

  async get(integrationId: string): Promise<SyncStateDoc> {
    const found = await this.collection.findOne({ _id: integrationId });
    if (found) return found;
    await this.collection.updateOne(
      { _id: integrationId },
      {
        $setOnInsert: {
          integrationId,
          watermarkTs: null,
          watermarkId: null,
          initialLoadDone: false,
          pausedUntil: null,
          pauseReason: null,
          updatedAt: new Date(),
        },
      },
      { upsert: true },
    );
    return (await this.collection.findOne({ _id: integrationId }))!;
  }

  /**
   * Moves the watermark forward from `from` to `to`; conditional on `from` so a
   * stale run (lease lost) can never move it back or sideways.
   */
  async advanceWatermark(integrationId: string, from: Watermark | null, to: Watermark): Promise<boolean> {
    const result = await this.collection.updateOne(
      { _id: integrationId, watermarkTs: from?.ts ?? null, watermarkId: from?.id ?? null },
      { $set: { watermarkTs: to.ts, watermarkId: to.id, updatedAt: new Date() } },
    );
    return result.modifiedCount === 1;
  }

  /** When the chunk's import first started (kept across a crash and replay of the same chunk). */
  async importSince(integrationId: string, chunkKey: string, now: Date): Promise<Date> {
    const state = await this.get(integrationId);
    if (state.pendingChunkKey === chunkKey && state.pendingImportSince) return state.pendingImportSince;
    await this.collection.updateOne({ _id: integrationId }, { $set: { pendingChunkKey: chunkKey, pendingImportSince: now, updatedAt: now } });
    return now;
  }

  async clearPendingImport(integrationId: string): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { pendingChunkKey: null, pendingImportSince: null } });
  }

  async markInitialLoadDone(integrationId: string): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { initialLoadDone: true, updatedAt: new Date() } });
  }

  async setTotal(integrationId: string, total: number): Promise<void> {
    await this.collection.updateOne({ _id: integrationId }, { $set: { lastTotal: total, updatedAt: new Date() } });
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

  /**
   * "Sync now" (or a Brevo webhook's events): recorded so any worker picks it
   * up (the BFF does not talk to Agenda), then signalled: workers read the
   * signal by `_id` every second and look for requests only when it changed.
   * Concurrent signals may overwrite each other: any change is enough. Concurrent
   * requests (webhook calls of one integration arrive together) must not fail.
   * The latest request names the run's trigger.
   */
  async requestSync(integrationId: string, now: Date, trigger: RunTrigger): Promise<void> {
    await upsertById(this.requests, integrationId, { $set: { at: now, trigger } });
    await upsertById(this.signals, SYNC_REQUEST_SIGNAL_ID, { $set: { token: randomUUID(), at: now } });
  }

  /** When a run not yet started was asked for, if one was. */
  async syncRequestedAt(integrationId: string): Promise<Date | null> {
    return (await this.requests.findOne({ _id: integrationId }))?.at ?? null;
  }

  /** Changes whenever a run is asked for (null before any request). */
  async syncRequestSignal(): Promise<string | null> {
    return (await this.signals.findOne({ _id: SYNC_REQUEST_SIGNAL_ID }))?.token ?? null;
  }

  async syncRequests(): Promise<{ integrationId: string; at: Date; trigger: RunTrigger }[]> {
    return (await this.requests.find({}).toArray()).map((doc) => ({ integrationId: doc._id, at: doc.at, trigger: doc.trigger ?? 'sync_now' }));
  }

  /** Taken by a worker: gone unless asked again since `at`. */
  async clearSyncRequest(integrationId: string, at: Date): Promise<void> {
    await this.requests.deleteOne({ _id: integrationId, at });
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

  async remove(integrationId: string): Promise<void> {
    await this.collection.deleteOne({ _id: integrationId });
    await this.requests.deleteOne({ _id: integrationId });
  }
}

export function watermarkOf(state: Pick<SyncStateDoc, 'watermarkTs' | 'watermarkId'>): Watermark | null {
  return state.watermarkTs != null && state.watermarkId != null ? { ts: state.watermarkTs, id: state.watermarkId } : null;
}
