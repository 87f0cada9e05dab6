import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Lease, RunTrigger, SyncStore, Db } from '@contact-sync/store';

export const SYNC_JOB = 'sync-integration';
export const JOBS_COLLECTION = 'agendaJobs';
const RECONCILE_LEASE = '__worker_reconcile__';
const RELEASE_RETRY_MS = 1_000;
/** How often workers look at the sync request signal (one read by `_id`). */
const REQUEST_POLL_MS = 1_000;

export interface RunContext {
  /** False once this worker's lease on the integration is gone (the run must stop before its next commit). */
  stillOwner: () => Promise<boolean>;
  /** Why the run happens: `schedule` for the recurring job, else what asked for it. */
  trigger: RunTrigger;
}

export interface SchedulerOptions {
  db: Db;
  store: SyncStore;
  workerId: string;
  intervalSeconds: number;
  concurrency: number;
  /** Integrations that should have a recurring job (active or error). */
  listSyncing: () => Promise<string[]>;
  /** One run of one integration; called only while this worker holds the integration's lease. */
  runOne: (integrationId: string, context: RunContext) => Promise<void>;
  leaseTtlMs?: number;
  processEveryMs?: number;
  reconcileEveryMs?: number;
  /** How often to check for "Sync now" and webhook requests between reconciles. */
  requestPollMs?: number;
  now?: () => Date;
  onError?: (error: unknown, where: string) => void;
}

interface SyncJobData {
  integrationId: string;
  kind: 'recurring' | 'now';
  /** What asked for a `now` job ("Sync now", a Brevo change, activation, retry). */
  trigger?: RunTrigger;
}

/**
 * Agenda 6 (MongoBackend, same database) schedules one recurring job per
 * syncing integration and the "Sync now" runs. Agenda's own lock does not
 * keep two workers apart on the local FerretDB (its findOneAndUpdate is not
 * atomic there; measured: two workers, one job every second, 7–8 of 16 runs
 * overlapped on the same job), so every run first takes the integration's
 * lease (unique-insert claims, see LeaseStore) and renews it while it runs.
 */
export class SyncScheduler {
  readonly agenda: Agenda;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private requestTimer: NodeJS.Timeout | undefined;
  /** The request signal last acted on; requests are looked for again only when it changes. */
  private seenRequestSignal: string | null | undefined;
  private watchingRequests = false;
  private readonly leaseTtlMs: number;
  private readonly now: () => Date;
  private stopped = false;
  private running = new Set<Promise<unknown>>();

  constructor(private readonly options: SchedulerOptions) {
    this.leaseTtlMs = options.leaseTtlMs ?? 120_000;
    this.now = options.now ?? (() => new Date());
    this.agenda = new Agenda({
      backend: new MongoBackend({ mongo: options.db, collection: JOBS_COLLECTION }),
      processEvery: options.processEveryMs ?? 1_000,
      maxConcurrency: options.concurrency,
      defaultConcurrency: options.concurrency,
      defaultLockLifetime: this.leaseTtlMs,
      name: options.workerId,
    });
    this.agenda.define(SYNC_JOB, async (job) => {
      const data = job.attrs.data as SyncJobData;
      // Agenda cancels a job not touched within its lock lifetime (the run would go on under our lease): touched as the lease is renewed.
      const run = this.runWithLease(data.integrationId, () => job.touch(), data.kind === 'now' ? (data.trigger ?? 'sync_now') : 'schedule');
      this.running.add(run);
      try {
        await run;
      } finally {
        this.running.delete(run);
      }
    });
    this.agenda.on('error', (error) => options.onError?.(error, 'agenda'));
  }

  async start(): Promise<void> {
    await this.agenda.start();
    await this.reconcile();
    this.reconcileTimer = setInterval(() => {
      this.reconcile().catch((error) => this.options.onError?.(error, 'reconcile'));
    }, this.options.reconcileEveryMs ?? Math.min(5_000, this.options.intervalSeconds * 1000));
    this.requestTimer = setInterval(() => {
      this.startRequestedRuns().catch((error) => this.options.onError?.(error, 'sync requests'));
    }, this.options.requestPollMs ?? REQUEST_POLL_MS);
  }

  /**
   * Between reconciles: requests ("Sync now", Brevo webhook events) become
   * immediate jobs within about a second. One read by `_id` per poll; the
   * requests themselves are read only when the signal changed, under the
   * reconcile lease (one worker makes the job).
   */
  async startRequestedRuns(): Promise<void> {
    if (this.watchingRequests || this.stopped) return;
    this.watchingRequests = true;
    try {
      const signal = await this.options.store.state.syncRequestSignal();
      if (signal === this.seenRequestSignal) return;
      // Another worker reconciling: seen again at the next poll.
      await this.withReconcileLease(async () => {
        await this.startRequested(null);
        this.seenRequestSignal = signal;
      });
    } finally {
      this.watchingRequests = false;
    }
  }

  /** Stops taking jobs and waits for the runs in progress (their leases are released). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reconcileTimer);
    clearInterval(this.requestTimer);
    await this.agenda.stop();
    await Promise.allSettled([...this.running]);
  }

  private jobs() {
    return this.options.db.collection<{ name: string; data: SyncJobData }>(JOBS_COLLECTION);
  }

  /**
   * One recurring job per syncing integration, none for the others (paused,
   * deleted, disabled); "Sync now" requests become immediate jobs. One worker
   * reconciles at a time (a lease of its own): Agenda's `unique()` upsert is
   * not atomic on FerretDB either (two workers starting together made two jobs).
   * Returns false when another worker was reconciling (this one did nothing).
   */
  async reconcile(): Promise<boolean> {
    return this.withReconcileLease(() => this.reconcileHeld());
  }

  /** Runs `work` under the reconcile lease; false (nothing done) when another worker holds it. */
  private async withReconcileLease(work: () => Promise<void>): Promise<boolean> {
    const lease = await this.options.store.leases.acquire(RECONCILE_LEASE, this.options.workerId, 30_000, this.now());
    if (!lease) return false;
    try {
      await work();
      return true;
    } finally {
      await this.options.store.leases.release(lease);
    }
  }

  private async reconcileHeld(): Promise<void> {
    const wanted = new Set(await this.options.listSyncing());
    const existing = await this.jobs().find({ name: SYNC_JOB, 'data.kind': 'recurring' }).toArray();
    const scheduled = new Map<string, number>();
    for (const job of existing) scheduled.set(job.data.integrationId, (scheduled.get(job.data.integrationId) ?? 0) + 1);
    for (const integrationId of wanted) {
      const count = scheduled.get(integrationId) ?? 0;
      if (count === 1) continue;
      // None yet, or duplicates left by an earlier race: exactly one.
      if (count > 1) await this.unschedule(integrationId);
      await this.agenda
        .create<SyncJobData>(SYNC_JOB, { integrationId, kind: 'recurring' })
        .repeatEvery(`${this.options.intervalSeconds} seconds`)
        .unique({ name: SYNC_JOB, 'data.integrationId': integrationId, 'data.kind': 'recurring' })
        .save();
    }
    for (const integrationId of scheduled.keys()) {
      if (!wanted.has(integrationId)) await this.unschedule(integrationId);
    }
    await this.startRequested(wanted);
  }

  /** Each requested run as an immediate job (`wanted`: the syncing integrations, when known; runOne skips the others anyway). */
  private async startRequested(wanted: ReadonlySet<string> | null): Promise<void> {
    for (const request of await this.options.store.state.syncRequests()) {
      if (!wanted || wanted.has(request.integrationId)) {
        await this.agenda.now<SyncJobData>(SYNC_JOB, { integrationId: request.integrationId, kind: 'now', trigger: request.trigger });
      }
      await this.options.store.state.clearSyncRequest(request.integrationId, request.at);
    }
  }

  async unschedule(integrationId: string): Promise<void> {
    await this.agenda.cancel({ name: SYNC_JOB, data: { integrationId } });
  }

  /**
   * Runs one integration under its lease; a run already going elsewhere makes
   * this a no-op. `onRenewed` is called each time the lease is renewed.
   */
  async runWithLease(integrationId: string, onRenewed?: () => Promise<void>, trigger: RunTrigger = 'schedule'): Promise<boolean> {
    if (this.stopped) return false;
    const { leases } = this.options.store;
    const lease: Lease | null = await leases.acquire(integrationId, this.options.workerId, this.leaseTtlMs, this.now());
    if (!lease) return false;
    let lost = false;
    const renew = setInterval(() => {
      leases.renew(lease, this.leaseTtlMs, this.now()).then(
        (held) => {
          if (!held) lost = true;
          else onRenewed?.().catch((error: unknown) => this.options.onError?.(error, 'job touch'));
        },
        (error) => this.options.onError?.(error, 'lease renew'),
      );
    }, Math.max(1_000, Math.floor(this.leaseTtlMs / 3)));
    try {
      // This worker holds the lease, so a run still marked running was left by a worker that died
      // or lost the database before it could record the end.
      await this.options.store.runs.closeAbandoned(integrationId, this.now());
      await this.options.runOne(integrationId, {
        stillOwner: async () => !lost && !this.stopped && (await leases.holds(lease, this.now())),
        trigger,
      });
      return true;
    } finally {
      clearInterval(renew);
      await this.release(lease);
    }
  }

  /**
   * Releases a lease, waiting out a database outage (a run that failed because
   * the database went away ends here too): a release lost to the outage would
   * keep the integration from running until the lease expired.
   */
  private async release(lease: Lease): Promise<void> {
    const giveUpAt = Date.now() + this.leaseTtlMs;
    for (;;) {
      try {
        await this.options.store.leases.release(lease);
        return;
      } catch (error) {
        if (Date.now() >= giveUpAt) {
          this.options.onError?.(error, 'lease release');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RELEASE_RETRY_MS));
      }
    }
  }
}
