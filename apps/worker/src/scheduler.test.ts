import { createSyncStore, ensureSyncIndexes, type SyncStore } from '@contact-sync/store';
import { until, useTestDatabase } from '@contact-sync/testing';
import { Job } from 'agenda';
import { Collection } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JOBS_COLLECTION, LOAD_JOB, NEEDS_LOAD_SLOT, phaseInInterval, SYNC_JOB, SyncScheduler, type SchedulerOptions } from './scheduler.ts';

const database = useTestDatabase('worker_scheduler');
let store: SyncStore;
const schedulers: SyncScheduler[] = [];

beforeAll(async () => {
  store = createSyncStore(database.connection.db!);
  await ensureSyncIndexes(store);
});
afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One reconcile that starts now, on whichever of these workers holds the reconcile lease (waiting while one reconciles already). */
async function reconciled(...workers: SyncScheduler[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    for (const worker of workers) if (await worker.reconcile()) return;
    if (Date.now() > deadline) throw new Error('none of these workers reconciled within 10 s');
    await sleep(50);
  }
}

describe('worker scheduling', () => {
  it('never runs one integration on two workers at once; one recurring job each; pause removes it; Sync now runs at once', async () => {
    let syncing = ['int-a', 'int-b'];
    const active = new Map<string, number>();
    const runs: { integrationId: string; worker: string; trigger: string }[] = [];
    let overlaps = 0;
    const make = (worker: string) =>
      new SyncScheduler({
        db: database.connection.db!,
        store,
        workerId: worker,
        intervalSeconds: 1,
        concurrency: 4,
        processEveryMs: 100,
        reconcileEveryMs: 300,
        leaseTtlMs: 5_000,
        listSyncing: async () => syncing.map((integrationId) => ({ integrationId, intervalSeconds: 1 })),
        runOne: async (integrationId, context) => {
          const now = (active.get(integrationId) ?? 0) + 1;
          active.set(integrationId, now);
          if (now > 1) overlaps += 1;
          runs.push({ integrationId, worker, trigger: context.trigger });
          expect(await context.stillOwner()).toBe(true);
          await sleep(250);
          active.set(integrationId, (active.get(integrationId) ?? 1) - 1);
        },
      });
    const a = make('worker-a');
    const b = make('worker-b');
    schedulers.push(a, b);
    await Promise.all([a.start(), b.start()]);
    const countOf = (id: string) => runs.filter((r) => r.integrationId === id).length;
    await until('three runs of each', () => countOf('int-a') >= 3 && countOf('int-b') >= 3, 15_000);

    expect(overlaps).toBe(0);
    expect(countOf('int-a')).toBeGreaterThanOrEqual(3);
    expect(countOf('int-b')).toBeGreaterThanOrEqual(3);
    const jobs = database.connection.db!.collection(JOBS_COLLECTION);
    expect(await jobs.countDocuments({ name: SYNC_JOB, 'data.kind': 'recurring', 'data.integrationId': 'int-a' })).toBe(1);

    // Paused (no longer syncing): its job goes at the next reconcile (by whichever worker holds the reconcile lease).
    syncing = ['int-a'];
    await reconciled(a, b);
    expect(await jobs.countDocuments({ name: SYNC_JOB, 'data.integrationId': 'int-b' })).toBe(0);
    // At most the runs already locked by a worker before the removal; then none (the interval is 1 s).
    await sleep(1_000);
    const runsOfB = countOf('int-b');
    await sleep(2_500);
    expect(countOf('int-b')).toBe(runsOfB);

    // Sync now on a fresh integration: runs without waiting for the interval.
    syncing = ['int-a', 'int-c'];
    await store.state.requestSync('int-c', new Date(), 'sync_now');
    await reconciled(a, b);
    await until('a run of int-c', () => countOf('int-c') > 0, 10_000);
    expect(countOf('int-c')).toBeGreaterThan(0);
    expect(overlaps).toBe(0);
    // The recurring job's runs are the schedule's.
    expect(new Set(runs.filter((run) => run.integrationId === 'int-a').map((run) => run.trigger))).toEqual(new Set(['schedule']));
  }, 60_000);

  it('a worker holding the lease makes the other skip the run', async () => {
    const leased = await store.leases.acquire('int-held', 'someone-else', 60_000, new Date());
    expect(leased).not.toBeNull();
    let ran = false;
    const scheduler = new SyncScheduler({
      db: database.connection.db!,
      store,
      workerId: 'worker-c',
      intervalSeconds: 60,
      concurrency: 1,
      listSyncing: async () => [],
      runOne: async () => {
        ran = true;
      },
    });
    expect(await scheduler.runWithLease('int-held')).toBe(false);
    expect(ran).toBe(false);
    await store.leases.release(leased!);
    expect(await scheduler.runWithLease('int-held')).toBe(true);
    expect(ran).toBe(true);
  });

  it('a run takes its lease as its own for a third of the lease time after taking it, then asks the database: a takeover after expiry is seen', async () => {
    const start = Date.parse('2026-12-05T10:00:00Z');
    let clock = start;
    const checks: boolean[] = [];
    let asked = 0;
    const counting = { ...store, leases: Object.assign(Object.create(store.leases) as typeof store.leases, { holds: (...args: Parameters<typeof store.leases.holds>) => ((asked += 1), store.leases.holds(...args)) }) };
    const scheduler = new SyncScheduler({
      db: database.connection.db!,
      store: counting,
      workerId: 'worker-trust',
      intervalSeconds: 60,
      concurrency: 1,
      leaseTtlMs: 120_000,
      now: () => new Date(clock),
      listSyncing: async () => [],
      runOne: async (_integrationId, context) => {
        checks.push(await context.stillOwner());
        clock = start + 39_000;
        checks.push(await context.stillOwner());
        expect(asked).toBe(0);
        // Another worker takes the lease once it has expired by its clock (this worker's renewals did not come).
        expect(await store.leases.acquire('int-trust', 'worker-other', 120_000, new Date(start + 121_000))).not.toBeNull();
        clock = start + 41_000;
        checks.push(await context.stillOwner());
        expect(asked).toBe(1);
      },
    });
    expect(await scheduler.runWithLease('int-trust')).toBe(true);
    expect(checks).toEqual([true, true, false]);
  });

  describe('one worker at a time (another would take the requests with its own runOne)', () => {
    const stopAll = async () => {
      await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    };
    beforeAll(stopAll);
    // Each test's requests for its own worker only.
    afterEach(stopAll);

    const alone = (workerId: string, runOne: SchedulerOptions['runOne'], overrides: Partial<Pick<SchedulerOptions, 'store' | 'leaseTtlMs' | 'concurrency' | 'loadSlots' | 'isLoad' | 'listSyncing' | 'onError' | 'requestPollMs'>> = {}) => {
      const scheduler = new SyncScheduler({
        db: database.connection.db!,
        store,
        workerId,
        intervalSeconds: 3_600,
        concurrency: 2,
        processEveryMs: 100,
        // Only the reconcile of start() runs in these tests.
        reconcileEveryMs: 600_000,
        requestPollMs: 100,
        listSyncing: async () => [],
        ...overrides,
        runOne,
      });
      schedulers.push(scheduler);
      return scheduler;
    };


    it('a requested run starts without waiting for the next reconcile', async () => {
      const ran: string[] = [];
      const scheduler = alone('worker-fast', async (integrationId) => {
        ran.push(integrationId);
      });
      await scheduler.start();
      await store.state.requestSync('int-fast', new Date(), 'sync_now');
      await until('run', () => ran.includes('int-fast'), 60_000);
      expect(await store.state.syncRequestedAt('int-fast')).toBeNull();
    }, 90_000);

    it("tells the run what asked for it: a requested run carries the request's trigger", async () => {
      const triggers: string[] = [];
      const scheduler = alone('worker-trigger', async (integrationId, context) => {
        if (integrationId === 'int-webhook') triggers.push(context.trigger);
      });
      await scheduler.start();
      await store.state.requestSync('int-webhook', new Date(), 'brevo_change');
      await until('run', () => triggers.length > 0, 60_000);
      expect(triggers).toEqual(['brevo_change']);
    }, 90_000);

    it('loads hold at most the load slots wherever they start (first chunk or continuation), and short runs start at once in the other slots', async () => {
      const running = new Set<string>();
      let mostLoadsAtOnce = 0;
      let mostAtOnce = 0;
      const released = { loads: false, shorts: false };
      const handedOver: string[] = [];
      const ran: string[] = [];
      const isLoad = (integrationId: string) => integrationId.startsWith('int-load');
      // As the runner decides (runStartOf(…).load) before it reads anything: a load outside a load slot does nothing and says so.
      const scheduler = alone(
        'worker-split',
        async (integrationId, context) => {
          if (isLoad(integrationId) && !context.inLoadSlot) {
            handedOver.push(integrationId);
            return NEEDS_LOAD_SLOT;
          }
          running.add(integrationId);
          mostLoadsAtOnce = Math.max(mostLoadsAtOnce, [...running].filter(isLoad).length);
          mostAtOnce = Math.max(mostAtOnce, running.size);
          ran.push(integrationId);
          // Each run holds its slot until the test lets its kind end.
          while (!(isLoad(integrationId) ? released.loads : released.shorts)) await sleep(50);
          running.delete(integrationId);
        },
        { concurrency: 5, loadSlots: 2 },
      );
      await scheduler.start();
      // Three initial loads start as ordinary jobs (their first chunk), a fourth load as a continuation.
      for (const id of ['int-load-1', 'int-load-2', 'int-load-3']) await store.state.requestSync(id, new Date(), 'activation');
      await store.state.requestSync('int-load-4', new Date(), 'continuation');
      await until('two loads running', () => running.size === 2, 60_000);
      await sleep(1_000); // ten polls: a third load would have taken a free slot by now
      expect(mostLoadsAtOnce).toBe(2);
      expect(handedOver.sort()).toEqual(['int-load-1', 'int-load-2', 'int-load-3']);

      // Short runs while both load slots are held: the three other slots at once, a fourth short run waits for one.
      const asked = Date.now();
      for (const id of ['int-short-1', 'int-short-2', 'int-short-3', 'int-short-4']) await store.state.requestSync(id, new Date(), 'sync_now');
      await until('three short runs started', () => running.size === 5, 60_000);
      const startedIn = Date.now() - asked;
      // A request is taken within a poll (100 ms) and its job within Agenda's (100 ms); 3 s leaves room for a busy machine.
      expect(startedIn).toBeLessThan(3_000);
      await sleep(1_000);
      expect([mostAtOnce, mostLoadsAtOnce, ran.filter((id) => !isLoad(id)).length]).toEqual([5, 2, 3]);
      released.shorts = true;
      await until('the fourth short run started', () => ran.includes('int-short-4'), 60_000);

      released.loads = true;
      await until('every load ran', () => ['int-load-1', 'int-load-2', 'int-load-3', 'int-load-4'].every((id) => ran.includes(id)), 60_000);
      await until('every run ended', () => running.size === 0, 60_000);
      expect(mostLoadsAtOnce).toBe(2);
      // Each load ran once: no load job was queued twice for one integration.
      expect(ran.filter(isLoad).sort()).toEqual(['int-load-1', 'int-load-2', 'int-load-3', 'int-load-4']);
    }, 90_000);

    it('a requested run known to be a load is queued as a load job at once: no hand-over; one not known (the look-up failed) is handed over by its run', async () => {
      const runs: [string, boolean][] = [];
      const handedOver: string[] = [];
      const isLoad = (integrationId: string) => integrationId.startsWith('int-direct-load');
      const scheduler = alone(
        'worker-direct',
        async (integrationId, context) => {
          if (isLoad(integrationId) && !context.inLoadSlot) {
            handedOver.push(integrationId);
            return NEEDS_LOAD_SLOT;
          }
          runs.push([integrationId, context.inLoadSlot]);
        },
        {
          isLoad: async (integrationId, trigger) => {
            if (integrationId === 'int-direct-load-unknown') throw new Error('database gone');
            return isLoad(integrationId) || trigger === 'continuation';
          },
        },
      );
      await scheduler.start();
      await store.state.requestSync('int-direct-load', new Date(), 'activation');
      await store.state.requestSync('int-direct-short', new Date(), 'sync_now');
      await until('both ran', () => runs.length === 2, 60_000);
      expect(handedOver).toEqual([]);
      expect(runs.sort()).toEqual([
        ['int-direct-load', true],
        ['int-direct-short', false],
      ]);
      await store.state.requestSync('int-direct-load-unknown', new Date(), 'sync_now');
      await until('the load ran', () => runs.length === 3, 60_000);
      expect(handedOver).toEqual(['int-direct-load-unknown']);
      expect(runs[2]).toEqual(['int-direct-load-unknown', true]);
    }, 90_000);

    const syncingEvery = (intervalSeconds: number, ids: () => string[]) => async () => ids().map((integrationId) => ({ integrationId, intervalSeconds }));
    const jobs = () => database.connection.db!.collection(JOBS_COLLECTION);
    /** Stops a test's worker and removes its recurring jobs, which would fall due again under the next test's worker (Agenda starts before its first reconcile). */
    const forget = async (scheduler: SyncScheduler, ids: string[]) => {
      await scheduler.stop();
      schedulers.splice(schedulers.indexOf(scheduler), 1);
      await jobs().deleteMany({ name: SYNC_JOB, 'data.integrationId': { $in: ids } });
    };

    it('is ready once Agenda has started, while its first reconcile is held: requests run meanwhile, and a stop waits for the reconcile before it releases the reconcile lease', async () => {
      // A fleet's first reconcile makes thousands of jobs (about 2 minutes at 2,000 integrations): held here at its listing.
      let listed!: () => void;
      const listing = new Promise<void>((resolve) => (listed = resolve));
      let releaseListing!: () => void;
      const held = new Promise<void>((resolve) => (releaseListing = resolve));
      const errors: string[] = [];
      const ran: string[] = [];
      const scheduler = alone('worker-held-start', async (integrationId) => void ran.push(integrationId), {
        listSyncing: async () => {
          listed();
          await held;
          return [{ integrationId: 'int-held-start', intervalSeconds: 3_600 }];
        },
        onError: (error, where) => errors.push(`${where}: ${String(error)}`),
      });
      const startedIn = await Promise.race([scheduler.start().then(() => 'started'), sleep(15_000).then(() => 'still starting after 15 s')]);
      expect(startedIn).toBe('started');
      await listing;
      let firstRoundDone = false;
      void scheduler.firstRound().then(() => (firstRoundDone = true));
      // The waiting requests are not behind the reconcile.
      await store.state.requestSync('int-during-reconcile', new Date(), 'sync_now');
      await until('the requested run', () => ran.includes('int-during-reconcile'), 60_000);
      expect(firstRoundDone).toBe(false);

      let stopped = false;
      const stopping = scheduler.stop().then(() => (stopped = true));
      await sleep(500);
      expect(stopped).toBe(false);
      // Still this worker's: no other worker may reconcile beside the one in progress.
      expect(await store.leases.acquire('__worker_reconcile__', 'worker-other', 30_000, new Date())).toBeNull();
      releaseListing();
      await stopping;
      expect(firstRoundDone).toBe(true);
      // Ended by the stop at its first job (the next holder lists the jobs), released, and no error reported.
      expect(await jobs().countDocuments({ 'data.integrationId': 'int-held-start' })).toBe(0);
      const next = await store.leases.acquire('__worker_reconcile__', 'worker-other', 30_000, new Date());
      expect(next).not.toBeNull();
      await store.leases.release(next!);
      expect(errors).toEqual([]);
    }, 90_000);

    it('reports the first round\'s errors to onError (no unhandled rejection), and goes on with the next rounds', async () => {
      const errors: string[] = [];
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      let listings = 0;
      let requestLooks = 0;
      const failing = {
        ...store,
        state: Object.assign(Object.create(store.state) as typeof store.state, {
          syncRequests: async () => {
            requestLooks += 1;
            throw new Error('requests unreadable');
          },
        }),
      };
      try {
        const scheduler = new SyncScheduler({
          db: database.connection.db!,
          store: failing,
          workerId: 'worker-failing-start',
          intervalSeconds: 3_600,
          concurrency: 1,
          processEveryMs: 100,
          reconcileEveryMs: 200,
          requestPollMs: 200,
          listSyncing: async () => {
            listings += 1;
            throw new Error('integrations unreadable');
          },
          runOne: async () => {},
          onError: (error, where) => errors.push(`${where}: ${(error as Error).message}`),
        });
        schedulers.push(scheduler);
        await scheduler.start();
        await scheduler.firstRound();
        expect(errors.sort()).toEqual(['reconcile: integrations unreadable', 'sync requests: requests unreadable']);
        await until('the next rounds', () => listings >= 3 && requestLooks >= 3, 60_000);
        await sleep(100);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    }, 90_000);

    it('takes a backlog of sync requests several at a time (a loaded database answers each slowly), each once, every one run', async () => {
      const ids = Array.from({ length: 24 }, (_, index) => `int-backlog-${index}`);
      for (const id of ids) await store.state.requestSync(id, new Date(), 'sync_now');
      let inFlight = 0;
      let most = 0;
      const slowTakes = {
        ...store,
        state: Object.assign(Object.create(store.state) as typeof store.state, {
          // Each take answered in 100 ms, as by a database the fleet's loads keep busy.
          takeSyncRequest: async (integrationId: string, at: Date) => {
            inFlight += 1;
            most = Math.max(most, inFlight);
            try {
              await sleep(100);
              return await store.state.takeSyncRequest(integrationId, at);
            } finally {
              inFlight -= 1;
            }
          },
        }),
      };
      const ran: string[] = [];
      // Only the first round takes requests here.
      const scheduler = alone('worker-backlog', async (integrationId) => void ran.push(integrationId), { store: slowTakes, concurrency: 4, requestPollMs: 600_000 });
      await scheduler.start();
      await scheduler.firstRound();
      // One at a time before: a backlog of thousands took a round trip's wait each.
      expect(most).toBe(8);
      for (const id of ids) expect(await store.state.syncRequestedAt(id)).toBeNull();
      await until('every request run', () => ids.every((id) => ran.includes(id)), 60_000);
      expect(ran.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    }, 90_000);

    it('a first reconcile makes the recurring jobs several at a time (a loaded database answers each slowly), one each', async () => {
      const ids = Array.from({ length: 24 }, (_, index) => `int-reconcile-at-once-${index}`);
      let inFlight = 0;
      let most = 0;
      const save = Job.prototype.save;
      // Each job's insert answered in 100 ms, as by a database the fleet's loads keep busy.
      const saves = vi.spyOn(Job.prototype, 'save').mockImplementation(async function (this: Job) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          await sleep(100);
          return await save.call(this);
        } finally {
          inFlight -= 1;
        }
      });
      try {
        const scheduler = alone('worker-reconcile-at-once', async () => {}, { listSyncing: async () => ids.map((integrationId) => ({ integrationId, intervalSeconds: 3_600 })) });
        await scheduler.start();
        await scheduler.firstRound();
        // One at a time before: 4,000 jobs beside the loads took a round trip's wait each.
        expect(most).toBeGreaterThanOrEqual(8);
        for (const integrationId of ids) expect(await jobs().countDocuments({ name: SYNC_JOB, 'data.kind': 'recurring', 'data.integrationId': integrationId })).toBe(1);
      } finally {
        saves.mockRestore();
        await jobs().deleteMany({ 'data.integrationId': { $in: ids } });
      }
    }, 90_000);

    it('a stop during start leaves nothing running: Agenda takes no job, no request is taken', async () => {
      let listings = 0;
      const ran: string[] = [];
      const scheduler = alone('worker-stopped-starting', async (integrationId) => void ran.push(integrationId), {
        listSyncing: async () => {
          listings += 1;
          return [];
        },
      });
      const starting = scheduler.start();
      await scheduler.stop();
      await starting;
      // A job due now, and a request: a started Agenda would take the one within a poll (100 ms: its run then ends at
      // once, the scheduler stopped, and the job is done and removed), a request timer the other.
      const due = await jobs().insertOne({ name: SYNC_JOB, data: { integrationId: 'int-after-stop', kind: 'now', trigger: 'sync_now' }, type: 'normal', priority: 0, nextRunAt: new Date(), lockedAt: null });
      await store.state.requestSync('int-after-stop-request', new Date(), 'sync_now');
      try {
        await sleep(1_500);
        expect(await jobs().findOne({ _id: due.insertedId }, { projection: { _id: 0, lockedAt: 1, lastRunAt: 1 } })).toEqual({ lockedAt: null });
        expect(ran).toEqual([]);
        expect(listings).toBe(0);
        expect(await store.state.syncRequestedAt('int-after-stop-request')).not.toBeNull();
      } finally {
        await jobs().deleteOne({ _id: due.insertedId });
        await store.state.takeSyncRequest('int-after-stop-request', (await store.state.syncRequestedAt('int-after-stop-request'))!);
      }
    }, 90_000);

    it('declares the index of the look-ups of an integration\'s jobs', async () => {
      await alone('worker-indexes', async () => {}).start();
      expect((await jobs().indexes()).map((index) => index.key)).toContainEqual({ name: 1, 'data.integrationId': 1 });
    }, 90_000);

    it("a new recurring job first falls due at its integration's phase in the interval, not at once with every other", async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `int-phase-${i}`);
      const ran = new Set<string>();
      const scheduler = alone('worker-phase', async (integrationId) => void ran.add(integrationId), { listSyncing: syncingEvery(60, () => ids) });
      const started = Date.now();
      await scheduler.start();
      await scheduler.firstRound();
      const dueAt = new Map((await jobs().find({ name: SYNC_JOB, 'data.integrationId': { $in: ids } }).toArray()).map((job) => [job.data.integrationId as string, (job.nextRunAt as Date).getTime()]));
      for (const id of ids) {
        expect(dueAt.get(id)! - started, id).toBeGreaterThanOrEqual(phaseInInterval(id, 60_000) - 1_000);
        expect(dueAt.get(id)! - started, id).toBeLessThan(60_000 + 1_000);
      }
      // Spread over the interval: most are not due in its first seconds (none would wait, were they all due at once).
      const phases = ids.map((id) => phaseInInterval(id, 60_000));
      expect(phases.filter((phase) => phase < 5_000).length).toBeLessThan(5);
      await sleep(1_500);
      expect(ran.size).toBeLessThanOrEqual(phases.filter((phase) => phase < 3_000).length);
      await forget(scheduler, ids);
    }, 90_000);

    it('a worker locks at most two sync jobs per slot: the other due jobs stay free for any worker', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `int-due-${i}`);
      const started = new Set<string>();
      let released = false;
      const scheduler = alone(
        'worker-locks',
        async (integrationId) => {
          started.add(integrationId);
          while (!released) await sleep(50);
        },
        { concurrency: 2, listSyncing: syncingEvery(1, () => ids) },
      );
      try {
        // Every recurring job falls due within a second (a new one at its phase in its interval).
        await scheduler.start();
        await until('two runs started', () => started.size === 2, 60_000);
        await sleep(1_000); // ten polls: each would lock every due job it may
        expect(await jobs().countDocuments({ name: SYNC_JOB, 'data.integrationId': { $in: ids }, lockedAt: { $ne: null } })).toBe(4);
      } finally {
        released = true;
      }
      await until('every run started', () => started.size === ids.length, 60_000);
      await forget(scheduler, ids);
    }, 90_000);

    it("Agenda's lock of a job outlives the lease its run takes, also when the job waited in the worker's queue: a worker killed mid-run leaves a lease that ends first", async () => {
      const ids = ['int-lock-1', 'int-lock-2'];
      const leaseTtlMs = 8_000;
      // Per run, at its start: how much longer the job's lock lasts than the run's lease (positive: another worker that
      // takes the job once its lock expired finds the lease free).
      const runs: { integrationId: string; margin: number }[] = [];
      let lockLifetime = 0;
      const scheduler = alone(
        'worker-lock-margin',
        async (integrationId) => {
          const job = await jobs().findOne({ name: SYNC_JOB, 'data.integrationId': integrationId });
          const lease = await database.connection.db!.collection<{ _id: string; expiresAt: Date }>('sync_leases').findOne({ _id: integrationId });
          runs.push({ integrationId, margin: job!.lockedAt.getTime() + lockLifetime - lease!.expiresAt.getTime() });
          // The first run holds the only slot until the other integration's job has waited, locked, in this worker's queue for 1.5 s.
          if (runs.length === 1) {
            const other = ids.find((id) => id !== integrationId);
            await until('the other job locked', async () => (await jobs().countDocuments({ name: SYNC_JOB, 'data.integrationId': other, lockedAt: { $ne: null } })) === 1, 60_000);
            await sleep(1_500);
          }
        },
        { concurrency: 1, leaseTtlMs, listSyncing: syncingEvery(2, () => ids) },
      );
      lockLifetime = scheduler.agenda.definitions[SYNC_JOB]!.lockLifetime;
      await scheduler.start();
      await until('both integrations run', () => new Set(runs.map((run) => run.integrationId)).size === 2, 60_000);
      await forget(scheduler, ids);
      for (const run of runs.slice(0, 2)) expect(run.margin, `${run.integrationId}: the lock ends before the lease`).toBeGreaterThan(0);
    }, 90_000);

    it("a scheduled run of an integration whose load waits for a load slot or runs takes no lease (the load runs it); the schedule goes on after the load", async () => {
      const ids = ['int-pending-running', 'int-pending-waiting'];
      const loaded = new Set<string>();
      const loadRuns: string[] = [];
      const scheduledAfterLoad: string[] = [];
      let loadsReleased = false;
      const acquire = vi.spyOn(store.leases, 'acquire');
      const leasesTaken = () => acquire.mock.calls.filter(([key]) => ids.includes(key)).length;
      try {
        const scheduler = alone(
          'worker-pending',
          async (integrationId, context) => {
            // As the runner decides: a load until its load has run, and a load outside a load slot is handed over.
            if (!loaded.has(integrationId)) {
              if (!context.inLoadSlot) return NEEDS_LOAD_SLOT;
              loadRuns.push(integrationId);
              while (!loadsReleased) await sleep(50);
              loaded.add(integrationId);
              return;
            }
            if (context.trigger === 'schedule') scheduledAfterLoad.push(integrationId);
          },
          { concurrency: 3, loadSlots: 1, isLoad: async (integrationId) => !loaded.has(integrationId), listSyncing: syncingEvery(1, () => ids) },
        );
        await scheduler.start();
        for (const id of ids) await store.state.requestSync(id, new Date(), 'activation');
        await until('one load running', () => loadRuns.length === 1, 60_000);
        // (A scheduled run that came first may have handed one over before its activation was taken: then two jobs for one.)
        await until('both loads queued', async () => (await jobs().distinct('data.integrationId', { name: LOAD_JOB, 'data.integrationId': { $in: ids } })).length === 2, 60_000);
        await sleep(1_500); // a scheduled run that started before the loads were queued ends
        const before = leasesTaken();
        await sleep(3_000); // three intervals of each integration's recurring job
        expect(leasesTaken() - before).toBe(0);

        loadsReleased = true;
        await until('a scheduled run of each after its load', () => ids.every((id) => scheduledAfterLoad.includes(id)), 15_000);
        expect(loadRuns.sort()).toEqual([...ids].sort());
        await forget(scheduler, ids);
      } finally {
        loadsReleased = true;
        acquire.mockRestore();
      }
    }, 90_000);

    it('a scheduled run after a short run on this worker makes no look for a waiting load; after a hand-over it looks again', async () => {
      const integrationId = 'int-ran-short';
      let isLoadNow = false;
      /** The looks for a waiting load and the scheduled runs, in order. */
      const log: ('look' | 'short' | 'load')[] = [];
      const scheduler = alone(
        'worker-ran-short',
        async (_id, context) => {
          // As the runner decides: a load outside a load slot is handed over; in one it runs, and the next run is short.
          if (isLoadNow && !context.inLoadSlot) return NEEDS_LOAD_SLOT;
          if (context.inLoadSlot) isLoadNow = false;
          if (context.trigger === 'schedule') log.push(context.inLoadSlot ? 'load' : 'short');
        },
        { listSyncing: syncingEvery(1, () => [integrationId]) },
      );
      const internals = scheduler as unknown as { loadPending: (id: string) => Promise<boolean> };
      const loadPending = internals.loadPending.bind(scheduler);
      internals.loadPending = (id) => {
        log.push('look');
        return loadPending(id);
      };
      await scheduler.start();
      await until('three scheduled runs', () => log.filter((entry) => entry === 'short').length >= 3, 15_000);
      // The first scheduled run looked (nothing known of the integration here); those after its short run did not.
      expect(log.filter((entry) => entry === 'look')).toEqual(['look']);
      expect(log[0]).toBe('look');

      // Its record filter changed: its next run is a load, handed over and run in a load slot; the scheduled runs after
      // the load look again until one of them has run short.
      isLoadNow = true;
      await until('two scheduled runs after the load', () => log.includes('load') && log.slice(log.indexOf('load')).filter((entry) => entry === 'short').length >= 2, 15_000);
      const afterLoad = log.slice(log.indexOf('load') + 1);
      const firstShort = afterLoad.indexOf('short');
      expect(afterLoad.slice(0, firstShort)).toContain('look');
      expect(afterLoad.slice(firstShort)).not.toContain('look');
      await forget(scheduler, [integrationId]);
    }, 90_000);

    it('queuing a load looks at the integration\'s load jobs once when there is none to clear', async () => {
      const integrationId = 'int-queue-once';
      const methods = ['find', 'findOne', 'deleteMany', 'countDocuments'] as const;
      const spies = methods.map((method) => vi.spyOn(Collection.prototype, method));
      const loadRuns: string[] = [];
      try {
        const scheduler = alone('worker-queue-once', async (id, context) => {
          if (context.inLoadSlot) loadRuns.push(id);
        }, { isLoad: async () => true });
        await scheduler.start();
        await store.state.requestSync(integrationId, new Date(), 'activation');
        await until('the load ran', () => loadRuns.includes(integrationId), 60_000);
        // Before the load job is made: the look-ups of this integration's load jobs (the run's own, later, are by the job's id).
        const lookUps = spies.flatMap((spy) =>
          spy.mock.calls.filter(([filter], i) => (spy.mock.contexts[i] as Collection).collectionName === JOBS_COLLECTION && (filter as Record<string, unknown> | undefined)?.['data.integrationId'] === integrationId),
        );
        expect(lookUps).toHaveLength(1);
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    }, 90_000);

    it('a reconcile inserts the jobs it lacks, touches only what changed since its own last one, and lists the jobs again after another worker reconciled', async () => {
      const listings = vi.spyOn(Collection.prototype, 'find');
      const upserts = vi.spyOn(Collection.prototype, 'findOneAndUpdate');
      // The reconcile's listing: every recurring job (the test's own look-ups name integrations).
      const jobListings = () =>
        listings.mock.calls.filter(([filter], i) => (listings.mock.contexts[i] as Collection).collectionName === JOBS_COLLECTION && filter?.['data.kind'] === 'recurring' && !('data.integrationId' in filter)).length;
      const recurring = async () =>
        (await jobs().find({ name: SYNC_JOB, 'data.kind': 'recurring', 'data.integrationId': { $regex: '^int-r-' } }).toArray()).map((job) => `${job.data.integrationId} ${job.repeatInterval}`).sort();
      try {
        let wantedByA = ['int-r-1', 'int-r-2'];
        const a = alone('worker-reconcile-a', async () => {}, { listSyncing: syncingEvery(3_600, () => wantedByA) });
        await a.start();
        await a.firstRound();
        expect(await recurring()).toEqual(['int-r-1 3600 seconds', 'int-r-2 3600 seconds']);
        // Made by inserts under the reconcile lease, not by one upsert each (a look-up per job).
        expect(upserts.mock.calls.filter((args, i) => (upserts.mock.contexts[i] as Collection).collectionName === JOBS_COLLECTION && (args as unknown[] as [unknown, unknown, { upsert?: boolean }?])[2]?.upsert)).toEqual([]);

        // Nothing changed, then one integration paused and another activated: no listing, the change made.
        let listed = jobListings();
        await reconciled(a);
        wantedByA = ['int-r-1', 'int-r-3'];
        await reconciled(a);
        expect(jobListings() - listed).toBe(0);
        expect(await recurring()).toEqual(['int-r-1 3600 seconds', 'int-r-3 3600 seconds']);

        // While this worker holds the reconcile lease, another worker's reconciles do nothing.
        const b = alone('worker-reconcile-b', async () => {}, { listSyncing: syncingEvery(3_600, () => ['int-r-1']) });
        await b.start();
        await b.firstRound();
        expect(await b.reconcile()).toBe(false);
        expect(await recurring()).toEqual(['int-r-1 3600 seconds', 'int-r-3 3600 seconds']);

        // This worker's lease expired (as if it had stalled for the lease time): the other took it over and reconciled
        // on what it saw (int-r-3 paused there), then stopped. This one lists the jobs again and puts int-r-3 back.
        await database.connection.db!.collection<{ _id: string; expiresAt: Date }>('sync_leases').updateOne({ _id: '__worker_reconcile__' }, { $set: { expiresAt: new Date(0) } });
        await reconciled(b);
        expect(await recurring()).toEqual(['int-r-1 3600 seconds']);
        await b.stop();
        listed = jobListings();
        await reconciled(a);
        expect(jobListings() - listed).toBe(1);
        expect(await recurring()).toEqual(['int-r-1 3600 seconds', 'int-r-3 3600 seconds']);
      } finally {
        listings.mockRestore();
        upserts.mockRestore();
      }
    }, 90_000);

    it('one worker keeps the reconcile lease from one reconcile to the next, and another takes it over when it stops', async () => {
      // Released after each reconcile, the lease went to whichever worker's timer came next, and each new holder listed
      // every integration's job again (at 2,000 integrations and 4 workers: 90 job documents read per run).
      const listings = vi.spyOn(Collection.prototype, 'find');
      const jobListings = () =>
        listings.mock.calls.filter(([filter], i) => (listings.mock.contexts[i] as Collection).collectionName === JOBS_COLLECTION && filter?.['data.kind'] === 'recurring' && !('data.integrationId' in filter)).length;
      try {
        const wanted = syncingEvery(3_600, () => ['int-k-1', 'int-k-2']);
        const a = alone('worker-keep-a', async () => {}, { listSyncing: wanted });
        const b = alone('worker-keep-b', async () => {}, { listSyncing: wanted });
        await a.start();
        await a.firstRound();
        await b.start();
        await b.firstRound();
        const listed = jobListings();
        const turns: string[] = [];
        for (let i = 0; i < 3; i += 1) {
          if (await a.reconcile()) turns.push('a');
          if (await b.reconcile()) turns.push('b');
        }
        expect(turns).toEqual(['a', 'a', 'a']);
        expect(jobListings() - listed).toBe(0);

        // Stopped, a hands the lease over at once (not after its 30 s): b reconciles at its next turn.
        await a.stop();
        expect(await b.reconcile()).toBe(true);
        expect(jobListings() - listed).toBe(1);
        expect(await a.reconcile()).toBe(false);
      } finally {
        listings.mockRestore();
      }
    }, 90_000);

    // As Agenda leaves the job of a load the database failed under: still locked (its end could not be recorded; the lock
    // lasts the lease time), or marked failed (never due again). Either held the next hand-over back.
    const leftJobs = {
      locked: (now: Date) => ({ nextRunAt: now, lockedAt: now }),
      failed: (now: Date) => ({ nextRunAt: null, lockedAt: null, failedAt: now, failCount: 1, failReason: 'connect ECONNREFUSED' }),
    };
    it.each(Object.keys(leftJobs) as (keyof typeof leftJobs)[])('a load job the database failed under (%s) does not hold back the hand-over of the next load', async (left) => {
      const integrationId = `int-left-${left}`;
      const loadRuns: string[] = [];
      const scheduler = alone(`worker-left-${left}`, async (id, context) => {
        if (!context.inLoadSlot) return NEEDS_LOAD_SLOT;
        loadRuns.push(id);
      });
      const now = new Date();
      const jobs = database.connection.db!.collection(JOBS_COLLECTION);
      await jobs.insertOne({ name: LOAD_JOB, data: { integrationId, kind: 'now', trigger: 'activation' }, type: 'normal', priority: 0, lastRunAt: now, lastModifiedBy: 'worker-gone', ...leftJobs[left](now) });
      await scheduler.start();
      await store.state.requestSync(integrationId, new Date(), 'sync_now');
      await until('the load ran', () => loadRuns.includes(integrationId), 15_000);
      // A failed job is cleared, not kept beside the new one.
      if (left === 'failed') expect(await jobs.countDocuments({ name: LOAD_JOB, 'data.integrationId': integrationId, failedAt: { $ne: null } })).toBe(0);
    }, 90_000);

    it('Agenda does not cancel a run longer than the lock lifetime while the run holds its lease', async () => {
      const leaseTtlMs = 6_000;
      let finished = false;
      const scheduler = alone(
        'worker-long',
        async () => {
          // Longer than Agenda's lock lifetime (the lease TTL and an eighth) more than twice over.
          await sleep(2.5 * leaseTtlMs);
          finished = true;
        },
        { leaseTtlMs },
      );
      // Agenda reports the cancellation as an 'error' event ("execution of 'sync-integration' canceled, execution took more than …").
      const errors: string[] = [];
      scheduler.agenda.on('error', (error: Error) => errors.push(error.message));
      await scheduler.start();
      await store.state.requestSync('int-long', new Date(), 'sync_now');
      await until('finished', () => finished, 120_000);
      await sleep(500); // Agenda's own end of the job.
      expect(errors).toEqual([]);
    }, 180_000);
  });
});
