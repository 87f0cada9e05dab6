import { seededRandom, useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet, makeEdits, minuteOfEdits, runsBetween, scheduleFigures, waitForInitialLoads, watchEdits, type Edit, type FleetMember } from '../../../bench/support/fleet.ts';
import { BrevoControl, SalesforceControl } from '../../../bench/support/sandbox-control.ts';
import { startHarness, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { startAppProcess, waitUntil, type AppProcess } from '../../../packages/sync/src/testing/stack.ts';
import { REDIRECT_URI } from '../../sandbox-salesforce/src/start.ts';

/**
 * Benchmark #7's short form (the long one: `npm run bench -- --only fleet`): a tiny fleet, 20
 * integrations over 5 Brevo accounts, each with an org of its own, on two worker processes with a 15 s
 * interval and a 10 s lease. Only what cannot be flaky on a loaded 2-core machine: every integration runs
 * in every interval (a gap of two intervals is a miss); the benchmark's edits (1% of each org's Contacts,
 * a new Title, during the first interval) all show in Brevo (JOB_TITLE) within the window and one more
 * interval, each in its own contact (integrations of one account must not share contacts); no
 * integration has two runs at once; the
 * integrations a SIGKILLed worker held are run by the other within one interval plus the lease (with a
 * margin); no Brevo 429 (the workers share each account's budget). Brevo's rate limits are on, as by default.
 */
const INTERVAL_S = 15;
const LEASE_S = 10;
const database = useTestDatabase('worker_fleet');
let harness: Harness;
let members: FleetMember[];
const workers: AppProcess[] = [];

beforeAll(async () => {
  harness = await startHarness(database.connection.db!);
  members = await createFleet(
    // The sandbox's connected app has the BFF's default callback registered (the OAuth flow's redirect_uri).
    { mongoUri: database.uri, salesforceUrl: harness.salesforce.url, brevoUrl: harness.brevo.url, bffUrl: new URL(REDIRECT_URI).origin },
    { integrations: 20, accounts: 5, contacts: { min: 50, max: 200 }, label: 'short' },
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await harness?.stop();
});

describe('a fleet of 20 integrations on two workers', () => {
  it('runs every integration every interval, brings every edit to Brevo, none twice at once, takes a killed worker\'s integrations over, earns no 429', async () => {
    const env = {
      MONGODB_URI: database.uri,
      SYNC_INTERVAL_SECONDS: String(INTERVAL_S),
      WORKER_LEASE_SECONDS: String(LEASE_S),
      SYNC_STREAMING: 'off',
      BREVO_API_URL: harness.brevo.baseUrl,
      SALESFORCE_LOGIN_URL: harness.salesforce.url,
      LOG_LEVEL: 'warn',
    };
    workers.push(await startAppProcess('worker', env), await startAppProcess('worker', env));
    const ids = members.map((member) => member.id);
    await waitForInitialLoads(database.uri, ids, 120_000);
    harness.brevo.calls.reset();

    // Three intervals of the schedule, with one interval of edits in Salesforce at its start.
    const windowStart = new Date();
    const edits = minuteOfEdits(members, 0, seededRandom(17), INTERVAL_S * 1000);
    const editing = makeEdits(edits, windowStart.getTime());
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_S * 1000));
    const windowEnd = new Date();
    const steady = scheduleFigures(await runsBetween(database.connection, new Date(windowStart.getTime() - 2 * INTERVAL_S * 1000), windowEnd), ids, windowStart, windowEnd, INTERVAL_S * 1000);
    expect(steady.missed, 'integrations with a gap of over two intervals between scheduled runs').toEqual([]);
    expect(steady.lagsMs.length).toBeGreaterThanOrEqual(ids.length * 2);

    // Each edit in Brevo, on the contact of its own org's record: by then every integration has run at least once after it.
    await editing;
    const seen = new Map<Edit, number>();
    const deadline = Date.now() + INTERVAL_S * 1000;
    await watchEdits(new BrevoControl(harness.brevo.url), edits, () => seen.size === edits.length || Date.now() > deadline, seen, 500);
    expect(
      edits.filter((edit) => !seen.has(edit)).map((edit) => `${edit.member.username}: ${edit.contact.Email} (${edit.contact.Id}) Title ${edit.title}`),
      'edits not in Brevo',
    ).toEqual([]);

    // SIGKILL a worker while it holds integration leases: the other runs them within an interval plus the lease.
    // Salesforce answers slowly meanwhile (a run then holds its lease for seconds, not the fraction of a second an
    // edit-less run takes), so that the moment a worker holds one is there to be seen. Which worker runs what is
    // Agenda's choice (on a busy machine one worker may lock every due job for a while): the victim is whichever
    // holds a lease first.
    await new SalesforceControl(harness.salesforce.url).setLatency({ minMs: 400, maxMs: 600 });
    const leases = database.connection.db!.collection<{ _id: string; owner: string | null; expiresAt: Date }>('sync_leases');
    let held: string[] = [];
    let victim: AppProcess | undefined;
    await waitUntil(
      'a worker holding an integration lease',
      async () => {
        const live = await leases.find({ expiresAt: { $gt: new Date() } }).toArray();
        victim = workers.find((worker) => live.some((lease) => ids.includes(lease._id) && lease.owner?.includes(`:${worker.child.pid}:`)));
        held = victim ? live.filter((lease) => ids.includes(lease._id) && lease.owner?.includes(`:${victim!.child.pid}:`)).map((lease) => lease._id) : [];
        return held.length > 0;
      },
      3 * INTERVAL_S * 1000,
    );
    const survivor = workers.find((worker) => worker !== victim)!;
    const killedAt = new Date();
    await victim!.kill();
    const bound = (INTERVAL_S + LEASE_S) * 1000;
    const margin = 10_000;
    await waitUntil(
      'each integration the killed worker held run again',
      async () => {
        const after = await runsBetween(database.connection, killedAt, new Date());
        return held.every((id) => after.some((run) => run.integrationId === id));
      },
      bound + margin,
    );

    const all = await runsBetween(database.connection, new Date(0), new Date());
    const overall = scheduleFigures(all, ids, windowStart, new Date(), INTERVAL_S * 1000);
    expect(overall.overlaps, 'runs of one integration in progress at the same time').toEqual([]);
    const calls = harness.brevo.calls.snapshot();
    expect(calls.byStatus['429'] ?? 0, JSON.stringify(calls.byStatus)).toBe(0);
    expect(survivor.alive(), survivor.output()).toBe(true);
  }, 300_000);
});
