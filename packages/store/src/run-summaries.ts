import type { RunDoc } from './runs.ts';
import { isDuplicateKey } from './store-connection.ts';
import { upsertById, type Db } from './sync-db.ts';

/**
 * What the integration list shows of an integration's runs (the last finished
 * one, the one in progress), in one document per integration (`_id`: the
 * integration id), so the list reads it by `_id` equality: on the local
 * FerretDB a find by `integrationId` reads and decodes every run of every
 * integration.
 *
 * Written by RunStore after each change of a run (start, page, finish, close
 * of abandoned runs). Those come from the one worker holding the
 * integration's lease, one after the other, so a read-change-write of this
 * document is not raced by another run write (FerretDB makes no update atomic).
 * A missing document (runs from before the summary, an integration never run)
 * is made from the newest runs: by the run writer with an update, by a reader
 * with an insert that never replaces what a run writer wrote.
 */
export interface RunSummaryDoc {
  _id: string;
  /** The newest run still running. */
  running: { runId: string; startedAt: Date; done: number; total: number | null } | null;
  /** The newest (by start) run that has ended. */
  lastEnded: { runId: string; startedAt: Date; endedAt: Date } | null;
}

export const RUN_SUMMARIES = 'sync_run_summaries';

/** Runs of both directions interleave: a few recent ones hold the last finished and any running. */
export const SUMMARY_RECENT_RUNS = 5;

/** The summary of an integration's runs, newest first (its `SUMMARY_RECENT_RUNS` newest are enough). */
export function summaryOfRuns(integrationId: string, newestFirst: readonly RunDoc[]): RunSummaryDoc {
  const running = newestFirst.find((run) => run.status === 'running');
  const ended = newestFirst.find((run) => run.endedAt);
  return {
    _id: integrationId,
    running: running ? runningOf(running) : null,
    lastEnded: ended ? { runId: ended._id, startedAt: ended.startedAt, endedAt: ended.endedAt! } : null,
  };
}

/** The summary once `run` is in the state given (started, a page further, or ended). */
export function withRun(summary: RunSummaryDoc, run: RunDoc): RunSummaryDoc {
  const isNewer = (current: { runId: string; startedAt: Date } | null) =>
    !current || current.runId === run._id || current.startedAt.getTime() <= run.startedAt.getTime();
  let { running, lastEnded } = summary;
  if (run.status === 'running') {
    if (isNewer(running)) running = runningOf(run);
  } else if (running?.runId === run._id) {
    running = null;
  }
  if (run.endedAt && isNewer(lastEnded)) lastEnded = { runId: run._id, startedAt: run.startedAt, endedAt: run.endedAt };
  return { _id: summary._id, running, lastEnded };
}

function runningOf(run: RunDoc): NonNullable<RunSummaryDoc['running']> {
  return { runId: run._id, startedAt: run.startedAt, done: run.progress.done, total: run.progress.total };
}

export class RunSummaryStore {
  constructor(
    private readonly db: Db,
    /** An integration's newest `SUMMARY_RECENT_RUNS` runs, newest first. */
    private readonly recentRuns: (integrationId: string) => Promise<RunDoc[]>,
  ) {}

  private get collection() {
    return this.db.collection<RunSummaryDoc>(RUN_SUMMARIES);
  }

  /** After a run write: the summary with this run's state (made from the runs when missing; they hold `run` already). */
  async record(run: RunDoc): Promise<void> {
    const current = await this.collection.findOne({ _id: run.integrationId });
    await this.put(current ? withRun(current, run) : await this.fromRuns(run.integrationId));
  }

  /** Made again from the runs (after several runs changed at once). */
  async refresh(integrationId: string): Promise<void> {
    await this.put(await this.fromRuns(integrationId));
  }

  /** The summaries of several integrations, one find by `_id` each: every id is in the map. */
  async forIntegrations(integrationIds: readonly string[]): Promise<Map<string, RunSummaryDoc>> {
    const unique = [...new Set(integrationIds)];
    const found = await Promise.all(unique.map(async (id) => (await this.collection.findOne({ _id: id })) ?? this.backfill(id)));
    return new Map(found.map((summary) => [summary._id, summary]));
  }

  async remove(integrationId: string): Promise<void> {
    await this.collection.deleteOne({ _id: integrationId });
  }

  private async fromRuns(integrationId: string): Promise<RunSummaryDoc> {
    return summaryOfRuns(integrationId, await this.recentRuns(integrationId));
  }

  /** A reader's summary where none is stored: kept with an insert, so it never replaces one a run writer stored meanwhile. */
  private async backfill(integrationId: string): Promise<RunSummaryDoc> {
    const summary = await this.fromRuns(integrationId);
    try {
      await this.collection.insertOne(summary);
      return summary;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await this.collection.findOne({ _id: integrationId })) ?? summary;
    }
  }

  /** Upserted: a reader's backfill may insert it first (FerretDB's upsert is find-then-insert). */
  private async put(summary: RunSummaryDoc): Promise<void> {
    await upsertById(this.collection, summary._id, { $set: { running: summary.running, lastEnded: summary.lastEnded } });
  }
}
