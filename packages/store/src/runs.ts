import { randomUUID } from 'node:crypto';
import { RunSummaryStore, SUMMARY_RECENT_RUNS, type RunSummaryDoc } from './run-summaries.ts';
import type { Db } from './sync-db.ts';

export { RUN_SUMMARIES, SUMMARY_RECENT_RUNS, summaryOfRuns, withRun, type RunSummaryDoc } from './run-summaries.ts';

export type RunDirection = 'salesforce_to_brevo' | 'brevo_to_salesforce';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'stopped';
/** Why a run happened: the schedule, "Sync now", a Brevo change (webhook), activation or resume, "Retry". */
export const RUN_TRIGGERS = ['schedule', 'sync_now', 'brevo_change', 'activation', 'retry'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

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

export function emptyCounts(): RunCounts {
  return { read: 0, created: 0, updated: 0, deleted: 0, skippedUnchanged: 0, noEmailOrSms: 0, rejected: 0, failed: 0 };
}

export class RunStore {
  /** What the integration list shows of the runs, kept by every run write below (run-summaries.ts). */
  private readonly summaryStore: RunSummaryStore;

  constructor(private readonly db: Db) {
    this.summaryStore = new RunSummaryStore(db, (integrationId) => this.list(integrationId, SUMMARY_RECENT_RUNS));
  }

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
    await this.collection.insertOne(run);
    await this.summaryStore.record(run);
    return run;
  }

  /** Adds a page's counts; `$inc` so the numbers stay right whatever the order of saves. */
  async addPage(runId: string, counts: Partial<RunCounts>, operations: number, progress: { done: number; total: number | null }): Promise<void> {
    const inc: Record<string, number> = { operationsCharged: operations };
    for (const [key, value] of Object.entries(counts)) if (value) inc[`counts.${key}`] = value;
    const run = await this.collection.findOneAndUpdate({ _id: runId }, { $inc: inc, $set: { progress } }, { returnDocument: 'after' });
    if (run) await this.summaryStore.record(run);
  }

  async finish(runId: string, status: Exclude<RunStatus, 'running'>, now: Date, outcome: { code: string; message: string } | null = null): Promise<void> {
    const run = await this.collection.findOneAndUpdate(
      { _id: runId, status: 'running' },
      { $set: { status, endedAt: now, outcome } },
      { returnDocument: 'after' },
    );
    if (run) await this.summaryStore.record(run);
  }

  async get(runId: string): Promise<RunDoc | null> {
    return this.collection.findOne({ _id: runId });
  }

  async list(integrationId: string, limit = 20): Promise<RunDoc[]> {
    return this.collection.find({ integrationId }).sort({ startedAt: -1 }).limit(limit).toArray();
  }

  /**
   * `list(id, perIntegration)` for several integrations, in one find in the usual case: every id
   * is in the map, with its newest `perIntegration` runs, newest first.
   *
   * One query cannot take "the newest n of each", so it takes the newest `n × ids` runs of all of
   * them (`integrationId $in`, sorted by `startedAt`, limited: never more than that, however long
   * the history). If fewer come back, that is every run of those integrations. Otherwise an
   * integration with n runs in the answer has its newest n (all its newer runs sort before them);
   * the others (drowned by busier ones) are asked again the same way, at most `rounds` times —
   * each round settles at least one integration — and then one by one (`list`).
   * A `startedAt` window instead would not be exact for integrations with few recent runs
   * (drafts, paused ones) and would need a read for each of them.
   */
  async recentForMany(integrationIds: readonly string[], perIntegration: number, rounds = 2): Promise<Map<string, RunDoc[]>> {
    const result = new Map<string, RunDoc[]>();
    let pending = [...new Set(integrationIds)];
    if (perIntegration <= 0) return new Map(pending.map((id) => [id, []])); // limit(0) would mean no limit
    for (let round = 0; round < rounds && pending.length > 0; round += 1) {
      const limit = perIntegration * pending.length;
      const runs = await this.collection.find({ integrationId: { $in: pending } }).sort({ startedAt: -1 }).limit(limit).toArray();
      const byId = new Map<string, RunDoc[]>(pending.map((id) => [id, []]));
      for (const run of runs) byId.get(run.integrationId)?.push(run);
      const complete = runs.length < limit;
      for (const [id, found] of byId) if (complete || found.length >= perIntegration) result.set(id, found.slice(0, perIntegration));
      pending = pending.filter((id) => !result.has(id));
    }
    const rest = await Promise.all(pending.map(async (id) => [id, await this.list(id, perIntegration)] as const));
    for (const [id, runs] of rest) result.set(id, runs);
    return result;
  }

  /** One page of an integration's runs, newest first, and how many there are (the BFF's run list). */
  async page(integrationId: string, offset: number, limit: number): Promise<{ runs: RunDoc[]; total: number }> {
    const [runs, total] = await Promise.all([
      this.collection.find({ integrationId }).sort({ startedAt: -1, _id: -1 }).skip(offset).limit(limit).toArray(),
      this.collection.countDocuments({ integrationId }),
    ]);
    return { runs, total };
  }

  /** Runs left `running` by a worker that died: closed as `failed` once their lease is gone. */
  async closeAbandoned(integrationId: string, now: Date): Promise<number> {
    const result = await this.collection.updateMany(
      { integrationId, status: 'running' },
      { $set: { status: 'failed', endedAt: now, outcome: { code: 'worker_lost', message: 'The worker stopped during the run; the next run resumed from the last confirmed page.' } } },
    );
    if (result.modifiedCount > 0) await this.summaryStore.refresh(integrationId);
    return result.modifiedCount;
  }

  /**
   * The last finished and the running run of several integrations (what `list(id, 5)` shows of them),
   * one find by `_id` each, from the summaries the run writes keep (run-summaries.ts): every id is in the map.
   */
  summaries(integrationIds: readonly string[]): Promise<Map<string, RunSummaryDoc>> {
    return this.summaryStore.forIntegrations(integrationIds);
  }

  async removeIntegration(integrationId: string): Promise<void> {
    await this.collection.deleteMany({ integrationId });
    await this.summaryStore.remove(integrationId);
  }
}
