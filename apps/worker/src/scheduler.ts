import { createHash } from 'node:crypto';
import { Agenda, type Job, type JobRepository } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Lease, RunTrigger, SyncStore, Db } from '@contact-sync/store';

export const SYNC_JOB = 'sync-integration';
/**
 * A load (a run that reads the whole object or goes on with one that gave way: `runStartOf(…).load`) runs as a
 * job of its own name, so that Agenda caps how many of a worker's slots loads hold (`loadSlots`): a load
 * holds a chunk of records in memory, a short run little, and the other slots stay free for short runs.
 * (The name is the one the continuations of long runs had before loads of every kind ran under it.)
 */
export const LOAD_JOB = 'sync-integration-continuation';
const SYNC_JOBS = [SYNC_JOB, LOAD_JOB];
export const JOBS_COLLECTION = 'agendaJobs';
const RECONCILE_LEASE = '__worker_reconcile__';
const RECONCILE_LEASE_MS = 30_000;
/** The longest a worker's reconcile goes on what it knows of the recurring jobs before it lists them again. */
const RELIST_MS = 60_000;
const RELEASE_RETRY_MS = 1_000;
/** How long an integration's lease (and Agenda's lock of its job, see LOCK_OUTLIVES_LEASE) outlives a worker that dies holding it. */
export const DEFAULT_LEASE_TTL_MS = 120_000;
/**
 * Agenda's lock of a job outlives the lease of the run it started by this part of the lease's lifetime (15 s of 120 s).
 * A worker killed mid-run leaves both behind. Had the lock ended first, another worker would take the job, find the
 * lease still held, and the integration would wait for its next interval: 190 s after the kill, in a fleet benchmark
 * whose bound is interval + lease (180 s). The lock is taken when Agenda queues the job, which can be well before the
 * run takes its lease: such a run touches the lock first (`runJob`). A touch that fails (the database, for a moment)
 * leaves the lock from the one before: the run goes on, and only a takeover after a crash then may wait an interval.
 */
const LOCK_OUTLIVES_LEASE = 1 / 8;
/**
 * The part of a lease's lifetime, from its acquisition or last renewal, during which its holder takes it as still its
 * own without asking the database (`stillOwner`). Another worker takes a lease only once it has expired by that
 * worker's clock, so within this part only a clock ahead of the holder's by the rest of the lifetime (80 s of the
 * 120 s default) could have taken it; renewals come every third of the lifetime, so a run's commits ask the database
 * only when a renewal was late or failed. (Every check asked it: one find per chunk of every run.)
 */
export const LEASE_TRUSTED_FOR = 1 / 3;
/** Loads a worker runs at once unless told otherwise: its memory (192 MB of heap, 384 MB of container) is sized for two. */
export const DEFAULT_LOAD_SLOTS = 2;
/** How often workers look for requested runs (an indexed query that usually finds none). */
const REQUEST_POLL_MS = 1_000;
/**
 * Waiting sync requests a worker takes at once, and recurring jobs a reconcile makes or removes at once: each a few
 * round trips, thousands of them after a fleet's activation, while the loads it starts keep the database busy.
 */
const AT_ONCE = 8;
/**
 * Sync jobs a worker locks per slot: the one running and one waiting to take the slot when it frees (Agenda locks
 * more only at its next poll). Without a limit one worker locked every due job at once (1,045 at 2,000 integrations),
 * which no other worker could take, and which a killed worker stranded for the lock lifetime.
 */
const SYNC_LOCKS_PER_SLOT = 2;

export interface LeaseContext {
  /** False once this worker's lease on the integration is gone (the work must stop before its next commit). */
  stillOwner: () => Promise<boolean>;
}

export interface RunContext extends LeaseContext {
  /** Why the run happens: `schedule` for the recurring job, else what asked for it. */
  trigger: RunTrigger;
  /** Whether other integrations' runs are due and waiting for a free worker (a long run then gives way between chunks). */
  othersWaiting: () => Promise<boolean>;
  /** Whether the run holds one of the worker's load slots: a load found outside one returns `NEEDS_LOAD_SLOT`. */
  inLoadSlot: boolean;
}

/**
 * What `runOne` returns when the run is a load and its job holds no load slot: it did nothing, and
 * the scheduler queues it as a load job once the integration's lease is released.
 */
export const NEEDS_LOAD_SLOT = 'needs_load_slot';

/** A due job nobody has taken for this long is waiting for a free slot: every worker's are busy. */
const WAITING_MS = 1_000;

/** An integration that should have a recurring job, and its interval. */
export interface SyncingIntegration {
  integrationId: string;
  intervalSeconds: number;
}

export interface SchedulerOptions {
  db: Db;
  store: SyncStore;
  workerId: string;
  /** The shortest interval of the recurring jobs (the reconcile runs at least this often, at most every 5 s). */
  intervalSeconds: number;
  /** Runs at once on this worker, loads included. */
  concurrency: number;
  /** How many of the `concurrency` slots loads may hold at once (default DEFAULT_LOAD_SLOTS, at most `concurrency`); the others are for short runs. */
  loadSlots?: number;
  /** Integrations that should have a recurring job (active or error), each with its interval. */
  listSyncing: () => Promise<SyncingIntegration[]>;
  /** One run of one integration; called only while this worker holds the integration's lease. */
  runOne: (integrationId: string, context: RunContext) => Promise<void | typeof NEEDS_LOAD_SLOT>;
  /**
   * Whether a requested run is a load as things stand (the runner's decision on the integration's sync state and
   * settings), so that it is queued as a load job at once instead of being handed over by its first run, about an
   * Agenda poll later. Read without the integration's lease, so a hint: the run decides again under the lease (a load
   * in an ordinary slot is still handed over; a short run in a load slot runs there). Absent: a continuation only.
   */
  isLoad?: (integrationId: string, trigger: RunTrigger) => Promise<boolean>;
  leaseTtlMs?: number;
  processEveryMs?: number;
  reconcileEveryMs?: number;
  /** How often to check for "Sync now" and webhook requests between reconciles. */
  requestPollMs?: number;
  now?: () => Date;
  onError?: (error: unknown, where: string) => void;
  /** A recurring job started by this worker, this long after it was due (ms). */
  onScheduleLag?: (lagMs: number) => void;
}

interface SyncJobData {
  integrationId: string;
  kind: 'recurring' | 'now';
  /** What asked for a `now` job ("Sync now", a Brevo change, activation, retry). */
  trigger?: RunTrigger;
}

/**
 * Agenda 6 (MongoBackend, same database) schedules one recurring job per
 * syncing integration, and one job per requested run ("Sync now", webhooks).
 * Agenda's lock (an atomic findOneAndUpdate) runs each job on one worker at a
 * time. Two guarantees it cannot give are kept with leases (LeaseStore):
 * - one run per integration: Agenda locks a job, and an integration's runs
 *   come from several jobs (its recurring job and its requested ones). And a
 *   worker whose lock expired keeps running the job's function (Agenda only
 *   stops waiting for it), so a run checks its lease before each commit
 *   (`stillOwner`);
 * - one recurring job per integration: Agenda's unique jobs are upserts with
 *   no unique index behind them, so two workers reconciling at once could
 *   both insert one (MongoDB makes concurrent upserts unique only through a
 *   unique index). One worker reconciles, under the reconcile lease, and
 *   inserts the jobs the listing lacks. It keeps the lease from one reconcile
 *   to the next (renewed at each, and while one lasts); another worker takes
 *   it over when it stops (released) or dies (expired after 30 s).
 */
export class SyncScheduler {
  readonly agenda: Agenda;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private requestTimer: NodeJS.Timeout | undefined;
  /** The look at waiting sync requests in progress on this worker, if any. */
  private requestsRun: Promise<void> | undefined;
  /** `start()` until Agenda has started: a stop meanwhile waits for it, so that nothing the start began outlives the stop. */
  private starting: Promise<void> | undefined;
  /** The first reconcile and the first look at the sync requests, begun by `start()` (see `firstRound`). */
  private firstRounds: Promise<void> = Promise.resolve();
  private readonly leaseTtlMs: number;
  /** Agenda's lock lifetime: the lease's and a margin (LOCK_OUTLIVES_LEASE). */
  private readonly lockLifetimeMs: number;
  private readonly now: () => Date;
  private stopped = false;
  private running = new Set<Promise<unknown>>();
  /** When each job this worker locked was due, by job id, until it starts. */
  private readonly dueAt = new Map<string, Date>();
  /** The recurring jobs as this worker's last complete reconcile left them (integration → interval), and under which acquisition of the reconcile lease. */
  private reconciled: { generation: number; jobs: Map<string, string>; listedAt: number } | undefined;
  /** The reconcile lease while this worker holds it (from one reconcile to the next). */
  private reconcileLease: Lease | undefined;
  /** The reconcile in progress on this worker, if any. */
  private reconcileRun: Promise<boolean> | undefined;
  /**
   * Integrations whose last run on this worker was a short run (of the sync job, not a load). Their scheduled runs do
   * not look for a waiting load first (`loadPending`: one find a run): a load of such an integration is queued when its
   * own run finds it is one (its record filter changed: the run hands it over, and the look comes back) or by a request
   * another worker took; then the scheduled run takes the lease, finds the load itself and hands it over, as a run did
   * before the look. What the look is for, a fleet's warm-up of waiting loads, has no short run yet.
   */
  private readonly ranShort = new Set<string>();

  constructor(private readonly options: SchedulerOptions) {
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.lockLifetimeMs = Math.round(this.leaseTtlMs * (1 + LOCK_OUTLIVES_LEASE));
    this.now = options.now ?? (() => new Date());
    const backend = new MongoBackend({ mongo: options.db, collection: JOBS_COLLECTION });
    // Only a worker that reports its schedule lag needs the due times (the wrapper reaches into Agenda).
    if (options.onScheduleLag) recordDueTimes(backend.repository, this.dueAt);
    this.agenda = new Agenda({
      backend,
      processEvery: options.processEveryMs ?? 1_000,
      maxConcurrency: options.concurrency,
      defaultConcurrency: options.concurrency,
      defaultLockLifetime: this.lockLifetimeMs,
      name: options.workerId,
    });
    const runJob = async (job: Job) => {
      const data = job.attrs.data as SyncJobData;
      const id = String(job.attrs._id);
      const due = this.dueAt.get(id);
      this.dueAt.delete(id);
      // `lastRunAt`: when Agenda started this run.
      if (data.kind === 'recurring' && due && job.attrs.lastRunAt) options.onScheduleLag?.(Math.max(0, job.attrs.lastRunAt.getTime() - due.getTime()));
      const trigger = data.kind === 'now' ? (data.trigger ?? 'sync_now') : 'schedule';
      const run = (async () => {
        // The load runs the integration: its scheduled runs meanwhile would only take the lease to find it is a load and hand it over again.
        if (data.kind === 'recurring' && !this.ranShort.has(data.integrationId) && (await this.loadPending(data.integrationId))) return;
        // The lock must outlive the lease the run takes next: one taken (by Agenda's clock) more than a third of the margin
        // ago, while the job waited in this worker's queue, is touched first. A worker keeping up touches none.
        const lockedAt = job.attrs.lockedAt?.getTime();
        if (lockedAt !== undefined && Date.now() - lockedAt > (this.lockLifetimeMs - this.leaseTtlMs) / 3) {
          await job.touch().catch((error: unknown) => options.onError?.(error, 'job touch'));
        }
        // Agenda cancels a job not touched within its lock lifetime (the run would go on under our lease): touched as the lease is renewed.
        const outcome = await this.runWithLease(data.integrationId, () => job.touch(), trigger, job.attrs.name === LOAD_JOB);
        if (outcome === true && job.attrs.name === SYNC_JOB) this.ranShort.add(data.integrationId);
        else this.ranShort.delete(data.integrationId);
        // Not queued (the database failed): the integration's next scheduled run hands it over again.
        if (outcome === NEEDS_LOAD_SLOT) await this.queueLoad(data.integrationId, trigger).catch((error: unknown) => options.onError?.(error, 'load hand-over'));
      })();
      this.running.add(run);
      try {
        await run;
      } finally {
        this.running.delete(run);
      }
    };
    // A requested run's job is done once run (recurring jobs have a next run and stay).
    this.agenda.define(SYNC_JOB, runJob, { removeOnComplete: true, lockLimit: options.concurrency * SYNC_LOCKS_PER_SLOT });
    const loadSlots = Math.min(options.concurrency, options.loadSlots ?? DEFAULT_LOAD_SLOTS);
    // lockLimit: a worker locks no more loads than it can run, leaving the rest to other workers.
    this.agenda.define(LOAD_JOB, runJob, { removeOnComplete: true, concurrency: loadSlots, lockLimit: loadSlots });
    this.agenda.on('error', (error) => options.onError?.(error, 'agenda'));
  }

  /**
   * Starts taking jobs, and returns once Agenda has started: the worker is then ready. The first reconcile (at 2,000
   * integrations, 2,000 recurring jobs to make: about 2 minutes on devdb) and the sync requests waiting (2,000 after a
   * fleet's activation, each taken and handed to a job one by one) go on in the background, as their timers' later
   * rounds do, their errors to `onError`: awaited here, they held the worker's "ready" and its health endpoint past a
   * platform's readiness limit. Agenda meanwhile runs the jobs that exist. `firstRound()` waits for them.
   */
  async start(): Promise<void> {
    if (this.stopped) return;
    this.starting = this.startAgenda();
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
    if (this.stopped) return;
    this.firstRounds = Promise.all([this.reconcileRound(), this.requestsRound()]).then(() => undefined);
    this.reconcileTimer = setInterval(() => void this.reconcileRound(), this.options.reconcileEveryMs ?? Math.min(5_000, this.options.intervalSeconds * 1000));
    this.requestTimer = setInterval(() => void this.requestsRound(), this.options.requestPollMs ?? REQUEST_POLL_MS);
  }

  private async startAgenda(): Promise<void> {
    // Agenda's next-job query (lockedAt null and due, or lockedAt expired) has an index for its first
    // branch (Agenda's own); this one serves the second, so no poll reads every job.
    await this.jobs().createIndex({ name: 1, lockedAt: 1 }, { name: 'name_locked_at' });
    // The look-ups of an integration's jobs: the load hand-over, a scheduled run's look for a pending load, unschedule.
    await this.jobs().createIndex({ name: 1, 'data.integrationId': 1 }, { name: 'name_integration' });
    if (!this.stopped) await this.agenda.start();
  }

  /**
   * Resolves once the first reconcile and the first look at the waiting sync requests, which `start()` begins and does
   * not wait for, have ended (failed or not: failures go to `onError`; a reconcile that found the lease held elsewhere
   * made nothing). For tests and tools that need the recurring jobs made; the worker itself does not wait.
   */
  firstRound(): Promise<void> {
    return this.firstRounds;
  }

  /** One reconcile, as the timer runs it: never rejects (errors to `onError`). */
  private reconcileRound(): Promise<void> {
    return this.reconcile().then(
      () => undefined,
      (error: unknown) => this.options.onError?.(error, 'reconcile'),
    );
  }

  /** One look at the sync requests, as the timer runs it: never rejects (errors to `onError`). */
  private requestsRound(): Promise<void> {
    return this.startRequestedRuns().catch((error: unknown) => this.options.onError?.(error, 'sync requests'));
  }

  /**
   * Between reconciles: requests ("Sync now", Brevo webhook events) become
   * immediate jobs within about a second. Each request is taken by one worker
   * (an atomic conditional update), which makes its job; a request made while
   * one was being taken is taken at the next poll. A worker that dies between
   * taking and making leaves the run to the integration's schedule. A stop ends
   * a round between two requests (a backlog of thousands is the next worker's).
   */
  async startRequestedRuns(): Promise<void> {
    if (this.requestsRun || this.stopped) return;
    this.requestsRun = this.takeRequests();
    try {
      await this.requestsRun;
    } finally {
      this.requestsRun = undefined;
    }
  }

  /**
   * Takes the waiting requests, AT_ONCE at a time. Each is a few round trips (the take, the load look-up, the
   * hand-over), and the backlog of a fleet's activation is thousands, taken while the loads it starts keep the
   * database busy: one at a time, 4,000 requests on 2 workers were taken at about 1 a second. An error ends the round
   * once the requests in hand are handed over (the rest wait for the next round).
   */
  private async takeRequests(): Promise<void> {
    const requests = await this.options.store.state.syncRequests();
    await eachAtOnce(requests, AT_ONCE, ({ integrationId, at, trigger }) => this.takeRequest(integrationId, at, trigger), () => this.stopped);
  }

  private async takeRequest(integrationId: string, at: Date, trigger: RunTrigger): Promise<void> {
    if (!(await this.options.store.state.takeSyncRequest(integrationId, at))) return;
    if (await this.requestedLoad(integrationId, trigger)) {
      this.ranShort.delete(integrationId);
      await this.queueLoad(integrationId, trigger);
    } else await this.agenda.now<SyncJobData>(SYNC_JOB, { integrationId, kind: 'now', trigger });
  }

  /** Whether a requested run goes to a load job (`isLoad`); not known (the read failed): an ordinary job, whose run hands a load over. */
  private async requestedLoad(integrationId: string, trigger: RunTrigger): Promise<boolean> {
    if (!this.options.isLoad) return trigger === 'continuation';
    return this.options.isLoad(integrationId, trigger).catch((error: unknown) => {
      this.options.onError?.(error, 'load look-up');
      return false;
    });
  }

  /** Jobs this worker is running (each a run of one integration, or a run found going elsewhere and skipped). */
  runsInProgress(): number {
    return this.running.size;
  }

  /**
   * Stops taking jobs and waits for the runs in progress (their leases are released), and for the reconcile and the
   * look at the sync requests in progress, which end at their next job: the caller may close the connection after it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    // A stop during start(): Agenda's start ends first (stopped before it has started, Agenda would start after it).
    await this.starting?.catch(() => undefined);
    clearInterval(this.reconcileTimer);
    clearInterval(this.requestTimer);
    await this.agenda.stop();
    await Promise.allSettled([...this.running]);
    await this.requestsRun?.catch(() => undefined);
    // Released only once no reconcile of this worker's is left, so that the next holder never reconciles beside it.
    await this.reconcileRun?.catch(() => false);
    if (this.reconcileLease) await this.release(this.reconcileLease, RECONCILE_LEASE_MS, 'reconcile lease');
    this.reconcileLease = undefined;
  }

  private jobs() {
    return this.options.db.collection<{ name: string; data: SyncJobData; repeatInterval?: string; lockedAt?: Date | null; nextRunAt?: Date | null }>(JOBS_COLLECTION);
  }

  /**
   * One recurring job per syncing integration at its interval, none for the others (paused,
   * deleted, disabled). One worker reconciles at a time (see the class comment).
   * Returns false (nothing done) when another worker holds the reconcile lease, this one is reconciling already, or it
   * stopped.
   */
  async reconcile(): Promise<boolean> {
    if (this.reconcileRun || this.stopped) return false;
    this.reconcileRun = this.withReconcileLease((lease, held) => this.reconcileHeld(lease, held)).catch((error: unknown) => {
      // Ended by a stop at its next job: not done, and no error.
      if (error instanceof ReconcileStopped) return false;
      throw error;
    });
    try {
      return await this.reconcileRun;
    } finally {
      this.reconcileRun = undefined;
    }
  }

  /**
   * Runs `work` under the reconcile lease; false (nothing done) when another worker holds it. The lease is renewed
   * while the work lasts (a first reconcile of a large fleet outlasts it), and work that lost it stops at its next
   * job (`held`).
   */
  private async withReconcileLease(work: (lease: Lease, held: () => void) => Promise<void>): Promise<boolean> {
    const asked = this.now().getTime();
    const lease = await this.keepReconcileLease();
    if (!lease) return false;
    await this.whileHeld(
      lease,
      RECONCILE_LEASE_MS,
      'reconcile lease',
      ({ lost }) =>
        work(lease, () => {
          if (lost()) throw new Error('the reconcile lease was lost: another worker reconciles');
          // A first reconcile of a fleet makes thousands of jobs: a stop does not wait for them (the next holder lists the jobs).
          if (this.stopped) throw new ReconcileStopped();
        }),
      { confirmedAt: asked },
    );
    return true;
  }

  /**
   * The reconcile lease: renewed if this worker holds it, else acquired if free or expired, else null. Kept from one
   * reconcile to the next, so one worker reconciles the fleet and knows its jobs from its own last reconcile. Released
   * after each reconcile, it went to whichever worker's timer came next: up to one reconcile per worker every 5 s, each
   * listing every syncing integration, and each new holder listed every integration's job again (at 2,000
   * integrations and 4 workers, 90 job documents and 160 integration documents read per run).
   */
  private async keepReconcileLease(): Promise<Lease | null> {
    const { leases } = this.options.store;
    if (this.reconcileLease && (await leases.renew(this.reconcileLease, RECONCILE_LEASE_MS, this.now()))) return this.reconcileLease;
    this.reconcileLease = (await leases.acquire(RECONCILE_LEASE, this.options.workerId, RECONCILE_LEASE_MS, this.now())) ?? undefined;
    return this.reconcileLease ?? null;
  }

  /**
   * Only a reconcile makes and removes recurring jobs, so when the reconcile lease's acquisition is the next after this
   * worker's last complete reconcile (nobody reconciled in between), the jobs are as that reconcile left them: only the
   * integrations whose wish changed since are touched, and the jobs are listed again at most every RELIST_MS (in case
   * something else changed them). Otherwise they are listed: another worker's reconcile, or this one's that failed.
   */
  private async reconcileHeld(lease: Lease, held: () => void): Promise<void> {
    const wanted = new Map((await this.options.listSyncing()).map((entry) => [entry.integrationId, `${entry.intervalSeconds} seconds`]));
    const known = this.reconciled;
    this.reconciled = undefined;
    const now = this.now().getTime();
    // The same acquisition, or the next one (nobody held the lease in between).
    const stillKnown = known !== undefined && lease.generation - known.generation <= 1 && now - known.listedAt < RELIST_MS;
    const scheduled = stillKnown ? new Map([...known.jobs].map(([integrationId, interval]) => [integrationId, [interval]])) : await this.recurringJobs();
    const changed = [...wanted].filter(([integrationId, interval]) => {
      const jobs = scheduled.get(integrationId) ?? [];
      return !(jobs.length === 1 && jobs[0] === interval);
    });
    // One job at a time, a first reconcile of 4,000 integrations beside their loads made 40–160 a minute.
    await eachAtOnce(changed, AT_ONCE, async ([integrationId, interval]) => {
      held();
      const jobs = scheduled.get(integrationId) ?? [];
      // None yet, duplicates left by an earlier race, or another interval (its stream's mode changed): exactly one.
      if (jobs.length > 0) await this.unschedule(integrationId);
      // A job replaced for its interval waits for it (a fall-back asks for a run of its own).
      const job = this.agenda.create<SyncJobData>(SYNC_JOB, { integrationId, kind: 'recurring' }).repeatEvery(interval, { skipImmediate: true });
      if (jobs.length === 0) job.schedule(new Date(now + phaseInInterval(integrationId, intervalMsOf(interval))));
      // Inserted: the reconcile lease and the listing say there is none. (Agenda's `unique` upsert would add a look-up
      // per job and no guarantee: without a unique index behind it, two at once can both insert.)
      await job.save();
    });
    const gone = [...scheduled.keys()].filter((integrationId) => !wanted.has(integrationId));
    await eachAtOnce(gone, AT_ONCE, async (integrationId) => {
      held();
      await this.unschedule(integrationId);
    });
    this.reconciled = { generation: lease.generation, jobs: wanted, listedAt: stillKnown ? known.listedAt : now };
  }

  /** The intervals of each integration's recurring jobs (one each, unless an earlier race left two), read with only what the reconcile needs. */
  private async recurringJobs(): Promise<Map<string, string[]>> {
    const existing = await this.jobs()
      .find({ name: SYNC_JOB, 'data.kind': 'recurring' }, { projection: { _id: 0, 'data.integrationId': 1, repeatInterval: 1 } })
      .toArray();
    const scheduled = new Map<string, string[]>();
    for (const job of existing) {
      const intervals = scheduled.get(job.data.integrationId);
      if (intervals) intervals.push(job.repeatInterval ?? '');
      else scheduled.set(job.data.integrationId, [job.repeatInterval ?? '']);
    }
    return scheduled;
  }

  async unschedule(integrationId: string): Promise<void> {
    this.ranShort.delete(integrationId);
    await this.agenda.cancel({ names: SYNC_JOBS, data: { integrationId } });
  }

  /**
   * Runs one integration under its lease: false when a run already going elsewhere made this a no-op,
   * else what the run returned. `onRenewed` is called each time the lease is renewed.
   */
  async runWithLease(integrationId: string, onRenewed?: () => Promise<void>, trigger: RunTrigger = 'schedule', inLoadSlot = false): Promise<boolean | typeof NEEDS_LOAD_SLOT> {
    let needsLoadSlot = false;
    const ran = await this.withIntegrationLease(
      integrationId,
      async (context) => {
        needsLoadSlot = (await this.options.runOne(integrationId, { ...context, trigger, inLoadSlot, othersWaiting: () => this.jobsWaiting() })) === NEEDS_LOAD_SLOT;
      },
      onRenewed ? { onRenewed } : {},
    );
    return needsLoadSlot ? NEEDS_LOAD_SLOT : ran;
  }

  /**
   * Queues a load job, with the run's trigger, for a requested load or a load that found itself outside a load
   * slot, unless one is queued for the integration already (a continuation, another worker's hand-over): its lease
   * would make the second skip anyway. A hand-over calls it once the lease is released, so that the load's job never
   * finds its own integration held by the run that queued it.
   */
  private async queueLoad(integrationId: string, trigger: RunTrigger): Promise<void> {
    const ofIntegration = { name: LOAD_JOB, 'data.integrationId': integrationId };
    // Only a job still waiting to run counts. A locked one is running elsewhere (it will find the load done, or go on with it)
    // or was left locked by a run the database failed under (it would hold the load back until Agenda's lock expires, the
    // lease time and its margin); a failed one (Agenda keeps it, not due: `nextRunAt` null) never runs again, and is cleared.
    // One look-up for both (usually there is neither).
    const unlocked = await this.jobs().find({ ...ofIntegration, lockedAt: null }, { projection: { nextRunAt: 1 } }).toArray();
    if (unlocked.some((job) => job.nextRunAt != null)) return;
    if (unlocked.length > 0) await this.jobs().deleteMany({ ...ofIntegration, lockedAt: null, nextRunAt: null });
    await this.agenda.now<SyncJobData>(LOAD_JOB, { integrationId, kind: 'now', trigger });
  }

  /**
   * Whether the integration's load job waits for a load slot or runs (locked within its lock lifetime, which the run
   * renews). A lock older than that was left by a worker that died: Agenda takes the job again, and the scheduled run
   * goes on as if there were none.
   */
  private async loadPending(integrationId: string): Promise<boolean> {
    const lockedSince = new Date(this.now().getTime() - this.lockLifetimeMs);
    const pending = await this.jobs().findOne(
      { name: LOAD_JOB, 'data.integrationId': integrationId, $or: [{ lockedAt: null, nextRunAt: { $ne: null } }, { lockedAt: { $gt: lockedSince } }] },
      { projection: { _id: 1 } },
    );
    return pending !== null;
  }

  /** Whether a sync job is due and unlocked since more than a second: no worker had a free slot for it. */
  async jobsWaiting(): Promise<boolean> {
    const waiting = await this.jobs().findOne({ name: { $in: SYNC_JOBS }, lockedAt: null, nextRunAt: { $lte: new Date(this.now().getTime() - WAITING_MS) } }, { projection: { _id: 1 } });
    return waiting !== null;
  }

  /**
   * Any work that writes for one integration (a run, a batch of streamed
   * changes), under the integration's lease: never two at once for one
   * integration. False (nothing done) when the lease is held elsewhere.
   * `ttlMs`: how long the lease outlives a worker that dies holding it (short
   * work takes a short lease, so a takeover is not held up by it). The work
   * closes the runs a dead worker left, when it reads the integration's sync
   * state (`RunStore.stateUnderLease`).
   */
  async withIntegrationLease(
    integrationId: string,
    work: (context: LeaseContext) => Promise<void>,
    { onRenewed, ttlMs = this.leaseTtlMs }: { onRenewed?: () => Promise<void>; ttlMs?: number } = {},
  ): Promise<boolean> {
    if (this.stopped) return false;
    return this.holdLease(
      integrationId,
      ttlMs,
      'lease',
      async ({ lease, lost, confirmedAt }) => {
        await work({
          stillOwner: async () => {
            if (lost() || this.stopped) return false;
            // Confirmed (acquired or renewed) within a third of its lifetime: still ours without asking (`LEASE_TRUSTED_FOR`).
            return this.now().getTime() - confirmedAt() < ttlMs * LEASE_TRUSTED_FOR || (await this.options.store.leases.holds(lease, this.now()));
          },
        });
      },
      onRenewed,
    );
  }

  /**
   * The one way this worker holds a lease (an integration's, the reconcile's): `work` runs only when the lease is
   * acquired (false: held elsewhere, nothing done). While it runs, the lease is renewed every third of `ttlMs`
   * (`onRenewed` after each renewal that held), and `lost()` turns true once a renewal finds it gone (expired, or
   * taken by another worker): the work must stop before its next write. Released at the end, through a database outage.
   * `what` names the lease in errors.
   */
  private async holdLease(
    key: string,
    ttlMs: number,
    what: string,
    work: (held: { lease: Lease; lost: () => boolean; confirmedAt: () => number }) => Promise<void>,
    onRenewed?: () => Promise<void>,
  ): Promise<boolean> {
    const { leases } = this.options.store;
    // The lease runs from the time sent with the acquisition (or renewal): taken before the command, so never later than the database's.
    const asked = this.now();
    const lease = await leases.acquire(key, this.options.workerId, ttlMs, asked);
    if (!lease) return false;
    try {
      await this.whileHeld(lease, ttlMs, what, work, { confirmedAt: asked.getTime(), ...(onRenewed ? { onRenewed } : {}) });
      return true;
    } finally {
      await this.release(lease, ttlMs, what);
    }
  }

  /**
   * Runs `work` while `lease` is held, renewing it every third of `ttlMs` (see `holdLease`). `confirmedAt`: when the
   * lease was last known held (the time sent with its acquisition or renewal), moved on by each renewal that held.
   */
  private async whileHeld(
    lease: Lease,
    ttlMs: number,
    what: string,
    work: (held: { lease: Lease; lost: () => boolean; confirmedAt: () => number }) => Promise<void>,
    options: { confirmedAt: number; onRenewed?: () => Promise<void> },
  ): Promise<void> {
    const { leases } = this.options.store;
    const { onRenewed } = options;
    let lost = false;
    let confirmedAt = options.confirmedAt;
    const renew = setInterval(() => {
      const renewing = this.now();
      leases.renew(lease, ttlMs, renewing).then(
        (held) => {
          if (!held) lost = true;
          else {
            confirmedAt = renewing.getTime();
            onRenewed?.().catch((error: unknown) => this.options.onError?.(error, 'job touch'));
          }
        },
        (error: unknown) => this.options.onError?.(error, `${what} renew`),
      );
    }, Math.max(1_000, Math.floor(ttlMs / 3)));
    try {
      await work({ lease, lost: () => lost, confirmedAt: () => confirmedAt });
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * Releases a lease, waiting out a database outage (a run that failed because
   * the database went away ends here too): a release lost to the outage would
   * keep the integration from running until the lease expired.
   */
  private async release(lease: Lease, ttlMs: number, what: string): Promise<void> {
    // After its lifetime the lease is free anyway.
    const giveUpAt = Date.now() + ttlMs;
    for (;;) {
      try {
        await this.options.store.leases.release(lease);
        return;
      } catch (error) {
        if (Date.now() >= giveUpAt) {
          this.options.onError?.(error, `${what} release`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RELEASE_RETRY_MS));
      }
    }
  }
}

/** What ends a reconcile that a stop came during (at its next job). */
class ReconcileStopped extends Error {
  constructor() {
    super('the worker stops');
  }
}

/**
 * `work` for each item, `atOnce` at a time, in their order. No item is begun once `stop()` says so or one failed; the
 * first failure is thrown once the items in hand have ended.
 */
async function eachAtOnce<T>(items: readonly T[], atOnce: number, work: (item: T) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failed && !stop()) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, lane));
  if (failed) throw failed.error;
}

/** The interval of a recurring job as the reconcile writes it (`${seconds} seconds`), in ms. */
function intervalMsOf(interval: string): number {
  return Number.parseInt(interval, 10) * 1000;
}

/**
 * When in its interval an integration's new recurring job first falls due, the same for every worker: a fleet's runs
 * spread over the interval instead of falling due together (2,000 jobs made due at once kept a worker's Agenda queue
 * and the database busy for minutes). A new integration does not wait for it: its activation asks for a run at once.
 */
export function phaseInInterval(integrationId: string, intervalMs: number): number {
  return createHash('sha256').update(integrationId).digest().readUInt32BE(0) % intervalMs;
}

/**
 * Keeps the time each job this worker locks was due (its `nextRunAt` as locked). Agenda's run sets
 * `lastRunAt` to the start and moves `nextRunAt` on to the next run before it calls the job's function
 * (agenda 6.2 `Job.run`), so the function no longer sees when its run was due: it is read where Agenda
 * locks the job, from the document its atomic lock returns. A job locked and then released (not due
 * within a poll) is overwritten by its next lock.
 */
function recordDueTimes(repository: JobRepository, dueAt: Map<string, Date>): void {
  const getNextJobToRun = repository.getNextJobToRun.bind(repository);
  repository.getNextJobToRun = async (...args) => {
    const job = await getNextJobToRun(...args);
    if (job?._id !== undefined && job.nextRunAt) dueAt.set(String(job._id), job.nextRunAt);
    return job;
  };
}
