import { randomUUID } from 'node:crypto';
import type { RunTrigger } from '@contact-sync/rules';
import type { Db } from './sync-db.ts';
import type { SyncStateDoc, SyncStateStore } from './sync-state.ts';

export type RunDirection = 'salesforce_to_brevo' | 'brevo_to_salesforce';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'stopped';
export type { RunTrigger };

export interface RunCounts {
  read: number;
  created: number;
  updated: number;
  deleted: number;
  skippedUnchanged: number;
  /** Not sent: neither email nor SMS for a new contact (R5 warning, no operation). */
  noEmailOrSms: number;
  rejected: number;
  failed: number;
  /** Linked records that stopped matching the record filter: their contacts left the list (not deleted). */
  leftList: number;
  /** Records that do not match the record filter and are not in the list: not sent, nothing charged. */
  notMatching: number;
}

export interface RunDoc {
  _id: string;
  integrationId: string;
  direction: RunDirection;
  initialLoad: boolean;
  /** Absent on runs recorded before triggers were (read as `schedule`). */
  trigger?: RunTrigger;
  status: RunStatus;
  startedAt: Date;
  endedAt: Date | null;
  counts: RunCounts;
  operationsCharged: number;
  progress: { done: number; total: number | null };
  /** Why the run stopped or failed (error code and message), no secrets. */
  outcome?: { code: string; message: string } | null;
}

export const RUNS = 'sync_runs';

/** What a run's end writes beside its status (`RunStore.finish`). */
export interface RunFinish {
  /** The counts, operations and progress of the run's last page, not yet added to its record. */
  last?: { counts: Partial<RunCounts>; operations: number; progress: { done: number; total: number | null } };
  /** The run reached the end of its query (`SyncStateStore.runEnded`). */
  completed?: RunCompletion;
}

/** A run that reached the end of its query: when it started, and whether it was the initial load. */
export interface RunCompletion {
  startedAt: Date;
  initialLoad: boolean;
}

/** A page's counts and operations as `$inc` of a run's record (what is 0 left out). */
function incrementsOf(counts: Partial<RunCounts>, operations: number): Record<string, number> {
  const inc: Record<string, number> = { operationsCharged: operations };
  for (const [key, value] of Object.entries(counts)) if (value) inc[`counts.${key}`] = value;
  return inc;
}

export function emptyCounts(): RunCounts {
  return { read: 0, created: 0, updated: 0, deleted: 0, skippedUnchanged: 0, noEmailOrSms: 0, rejected: 0, failed: 0, leftList: 0, notMatching: 0 };
}

/**
 * An integration's runs. Each change of a run also updates its summary on the
 * integration's sync state (the run in progress, the last end: what the
 * integration list shows), so that the list reads one document per integration.
 */
export class RunStore {
  constructor(
    private readonly db: Db,
    private readonly state: SyncStateStore,
  ) {}

  private get collection() {
    return this.db.collection<RunDoc>(RUNS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, startedAt: -1 }, { name: 'integration_started' });
  }

  async start(integrationId: string, direction: RunDirection, initialLoad: boolean, now: Date, trigger: RunTrigger = 'schedule'): Promise<RunDoc> {
    const run: RunDoc = {
      _id: randomUUID(),
      integrationId,
      direction,
      initialLoad,
      trigger,
      status: 'running',
      startedAt: now,
      endedAt: null,
      counts: emptyCounts(),
      operationsCharged: 0,
      progress: { done: 0, total: null },
      outcome: null,
    };
    // The state first: every run left `running` is then the state's run in progress (a crash between the two leaves a
    // run in progress that does not exist, which the next run's start replaces), so the next work under the lease
    // closes abandoned runs only when its state names one (`stateUnderLease`).
    await this.state.runStarted(run);
    await this.collection.insertOne(run);
    return run;
  }

  /** Adds a page's counts; `$inc` so the numbers stay right whatever the order of saves. */
  async addPage(runId: string, counts: Partial<RunCounts>, operations: number, progress: { done: number; total: number | null }): Promise<void> {
    const run = await this.collection.findOneAndUpdate({ _id: runId }, { $inc: incrementsOf(counts, operations), $set: { progress } }, { returnDocument: 'after' });
    if (run) await this.state.runProgressed(run);
  }

  /**
   * Ends a run: its record, then the state's summary (one write each). `end.last`: the counts of the run's last page,
   * added here rather than by an `addPage` of their own; `end.completed`: the run reached the end of its query
   * (`SyncStateStore.runEnded`).
   */
  async finish(runId: string, status: Exclude<RunStatus, 'running'>, now: Date, outcome: { code: string; message: string } | null = null, end: RunFinish = {}): Promise<void> {
    const inc: Record<string, number> = {};
    const set: Record<string, unknown> = { status, endedAt: now, outcome };
    if (end.last) {
      Object.assign(inc, incrementsOf(end.last.counts, end.last.operations));
      set.progress = end.last.progress;
    }
    const run = await this.collection.findOneAndUpdate(
      { _id: runId, status: 'running' },
      Object.keys(inc).length > 0 ? { $set: set, $inc: inc } : { $set: set },
      { returnDocument: 'after' },
    );
    if (run) await this.state.runEnded({ ...run, endedAt: now }, end.completed);
  }

  async get(runId: string): Promise<RunDoc | null> {
    return this.collection.findOne({ _id: runId });
  }

  async list(integrationId: string, limit = 20): Promise<RunDoc[]> {
    return this.collection.find({ integrationId }).sort({ startedAt: -1 }).limit(limit).toArray();
  }

  /** One page of an integration's runs, newest first, and how many there are (the BFF's run list). */
  async page(integrationId: string, offset: number, limit: number): Promise<{ runs: RunDoc[]; total: number }> {
    const [runs, total] = await Promise.all([
      this.collection.find({ integrationId }).sort({ startedAt: -1, _id: -1 }).skip(offset).limit(limit).toArray(),
      this.collection.countDocuments({ integrationId }),
    ]);
    return { runs, total };
  }

  /**
   * The integration's sync state as work under the integration's lease (a run, a stream batch) reads it before it
   * starts a run. A run the state names in progress was left by a worker that died, or lost the database, before
   * recording its end (this worker holds the lease now): closed here first, for every path that runs under the lease.
   * One find when the state names none (`start` names each run there before its record exists).
   */
  async stateUnderLease(integrationId: string, now: Date): Promise<SyncStateDoc | null> {
    const state = await this.state.find(integrationId);
    if (!state?.currentRun) return state;
    await this.closeAbandoned(integrationId, now);
    return { ...state, currentRun: null };
  }

  /**
   * Runs left `running` by a worker that died: closed as `failed` once their lease is gone. A run's start names it the
   * run in progress before its record exists, so a state without one (`SyncStateDoc.currentRun`) has none to close.
   */
  async closeAbandoned(integrationId: string, now: Date): Promise<number> {
    const result = await this.collection.updateMany(
      { integrationId, status: 'running' },
      { $set: { status: 'failed', endedAt: now, outcome: { code: 'worker_lost', message: 'The worker stopped during the run; the next run resumed from the last confirmed page.' } } },
    );
    if (result.modifiedCount > 0) await this.state.runsAbandoned(integrationId, now);
    return result.modifiedCount;
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
  }
}
