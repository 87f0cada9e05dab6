// Benchmark #7's fleet: many small integrations, each syncing its own
// Salesforce org (the sandbox's `/__sandbox/orgs`: a user and 50–200
// generated Contacts) into a list of one of fewer Brevo accounts (one API key
// each, `/__sandbox/api-keys`). Each integration is written through the
// store's repositories as the BFF leaves it after the wizard (Salesforce
// tokens from the OAuth web-server flow, the account's Brevo key sealed, the
// mapping, consent, a list made with the account's key), then activated as
// the BFF activates (a sync request). What the runs did is read back from the
// runs' records.
import { setTimeout as sleep } from 'node:timers/promises';
import { recordConsent } from '@contact-sync/rules';
import { DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, secretBoxFromEnv } from '@contact-sync/secrets';
import { accountRepository, connectStore, createSyncStore, integrationModel, integrationRepository, RUNS, SYNC_STATES, type RunDoc, type SyncStateDoc } from '@contact-sync/store';
import jsforce, { type Connection } from 'jsforce';
import type { Connection as MongoConnection } from 'mongoose';
import { oauth2, submitLogin } from '../../apps/sandbox-salesforce/src/start.ts';
import { BENCH_MAPPING } from './bench-mapping.ts';
import type { BrevoControl } from './sandbox-control.ts';

/** Where the fleet is set up (a bench stack's services, or a test's database and in-process sandboxes). */
export interface FleetServices {
  mongoUri: string;
  salesforceUrl: string;
  /** Without `/v3`. */
  brevoUrl: string;
  /** Its OAuth callback is the redirect URI the Salesforce sandbox's connected app has registered. */
  bffUrl: string;
}

export interface FleetPlan {
  integrations: number;
  /** Brevo accounts (and host accounts): integration i belongs to account i mod accounts. */
  accounts: number;
  contacts: { min: number; max: number };
  /** Orgs, keys and e-mail domains are named with it, so two fleets on one stack do not collide. */
  label: string;
}

export interface FleetMember {
  id: string;
  accountId: string;
  username: string;
  listId: number;
  /** The org's Contacts with an e-mail (those the sync puts in Brevo). */
  contacts: { Id: string; Email: string }[];
  /** The org's user, for the benchmark's own edits (the product has its own tokens). */
  conn: Connection;
}

const ORG_PASSWORD = 'fleet-org-pass';
/** Parallel set-up requests: enough to hide the sandboxes' answer times, few enough for a 2-core machine. */
const SETUP_CONCURRENCY = 8;

/** Runs `work` over `items`, at most `concurrency` at a time, in order of start. */
export async function eachLimited<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

async function control<T>(base: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}/__sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} → ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** The OAuth web-server flow through the sandbox's login form, as the BFF's connect step does it (access and refresh token). */
async function connectOrg(salesforceUrl: string, redirectUri: string, username: string, password: string): Promise<Connection> {
  const oauth = oauth2(salesforceUrl, { redirectUri });
  const result = await submitLogin(oauth.getAuthorizationUrl({ state: 'fleet' }), username, password);
  if (!result.location) throw new Error(`Salesforce login of ${username} failed: ${result.status}`);
  const conn = new jsforce.Connection({ oauth2: oauth, version: '62.0' });
  await conn.authorize(new URL(result.location).searchParams.get('code')!);
  return conn;
}

/** A list in the account, as the wizard's "new list" makes it (Brevo's POST /contacts/lists, folder 1). */
async function createList(brevoUrl: string, apiKey: string, name: string): Promise<{ id: number }> {
  const response = await fetch(`${brevoUrl}/v3/contacts/lists`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ name, folderId: 1 }) });
  if (response.status !== 201) throw new Error(`creating Brevo list ${name} → ${response.status} ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as { id: number };
}

/** Deterministic sizes in [min, max] (a fleet is the same on every run). */
function sizeOf(index: number, { min, max }: { min: number; max: number }): number {
  return min + ((index * 7_919) % (max - min + 1));
}

export const accountIdOf = (plan: FleetPlan, index: number) => `acc_${plan.label}_${String(index % plan.accounts).padStart(4, '0')}`;
const apiKeyOf = (accountId: string) => `xkeysib-${accountId.replace(/_/g, '-')}-fleetkey`;

/**
 * Creates the orgs, keys and integrations of `plan` (active, initial load
 * requested). `onProgress` gets the count set up so far.
 */
export async function createFleet(services: FleetServices, plan: FleetPlan, onProgress?: (done: number) => void): Promise<FleetMember[]> {
  const connection = await connectStore(services.mongoUri);
  try {
    const secrets = secretBoxFromEnv(DEV_ENCRYPTION_KEYS, DEV_ENCRYPTION_KEY_ID);
    const accounts = accountRepository(connection, secrets);
    const integrations = integrationRepository(connection, secrets);
    const Integration = integrationModel(connection);
    const accountIds = [...new Set(Array.from({ length: plan.integrations }, (_, i) => accountIdOf(plan, i)))];
    await eachLimited(accountIds, SETUP_CONCURRENCY, async (accountId) => {
      const apiKey = apiKeyOf(accountId);
      await control(services.brevoUrl, '/api-keys', { key: apiKey, accountId, name: `${accountId} key` });
      // With its name, as an operator sets a key of the integration's own: the webhooks of its writes are echoes.
      await accounts.setBrevoKey(accountId, { apiKey, apiKeyName: `${accountId} key`, notificationEmail: `ops@${accountId.replace(/_/g, '-')}.test` });
    });

    const redirectUri = `${services.bffUrl}/api/v1/oauth/salesforce/callback`;
    let done = 0;
    const members = await eachLimited(Array.from({ length: plan.integrations }, (_, i) => i), SETUP_CONCURRENCY, async (index) => {
      const accountId = accountIdOf(plan, index);
      const username = `admin@org${String(index).padStart(5, '0')}.${plan.label}.test`;
      const org = await control<{ orgId: string; userId: string }>(services.salesforceUrl, '/orgs', { name: `Fleet org ${index}`, username, password: ORG_PASSWORD, contacts: sizeOf(index, plan.contacts), seed: index + 1 });
      const conn = await connectOrg(services.salesforceUrl, redirectUri, username, ORG_PASSWORD);
      const { records } = await conn.query<{ Id: string; Email: string | null }>('SELECT Id, Email FROM Contact');
      const name = `Fleet ${plan.label} ${index}`;
      const list = await createList(services.brevoUrl, apiKeyOf(accountId), name);
      const created = await integrations.create({ accountId, kind: 'salesforce-contacts', name });
      const id = created._id.toHexString();
      const now = new Date();
      await integrations.setSalesforceConnection(
        accountId,
        id,
        { orgId: org.orgId, userId: org.userId, username, displayName: `Fleet ${index}`, instanceUrl: conn.instanceUrl, accessToken: conn.accessToken!, refreshToken: conn.refreshToken! },
        now,
      );
      await Integration.updateOne(
        { _id: created._id },
        {
          $set: {
            status: 'active',
            activatedAt: now,
            consent: recordConsent(username, now),
            list: { id: list.id, name },
            mappingEntries: Object.entries(BENCH_MAPPING).map(([attribute, field]) => ({ attribute, field })),
          },
        },
      );
      onProgress?.(++done);
      return { id, accountId, username, listId: list.id, contacts: records.filter((record): record is { Id: string; Email: string } => typeof record.Email === 'string'), conn };
    });
    // Activation, as the BFF's: a run now (the initial load), then every interval.
    const store = createSyncStore(connection.db!);
    for (const member of members) await store.state.requestSync(member.id, new Date(), 'activation');
    return members;
  } finally {
    await connection.close();
  }
}

/** Waits until every integration's initial load is done (the runs' sync states say so). */
export async function waitForInitialLoads(mongoUri: string, ids: readonly string[], timeoutMs: number, onProgress?: (done: number) => void): Promise<void> {
  const connection = await connectStore(mongoUri);
  try {
    const states = connection.db!.collection<SyncStateDoc>(SYNC_STATES);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await states.countDocuments({ _id: { $in: [...ids] }, initialLoadDone: true });
      onProgress?.(done);
      if (done === ids.length) return;
      if (Date.now() > deadline) throw new Error(`${ids.length - done} of ${ids.length} initial loads not done after ${timeoutMs / 1000} s`);
      await sleep(2_000);
    }
  } finally {
    await connection.close();
  }
}

/** Salesforce → Brevo runs that started in [from, to) (all integrations, or those given). */
export async function runsBetween(connection: MongoConnection, from: Date, to: Date): Promise<RunDoc[]> {
  return connection.db!.collection<RunDoc>(RUNS).find({ direction: 'salesforce_to_brevo', startedAt: { $gte: from, $lt: to } }).sort({ startedAt: 1 }).toArray();
}

export interface ScheduleFigures {
  /** Scheduled runs whose lag is known (a scheduled run of the same integration before it). */
  lagsMs: number[];
  /** Integrations with a gap of more than two intervals between scheduled runs (or none in the window). */
  missed: { integrationId: string; gapMs: number }[];
  /** Pairs of one integration's runs that were in progress at the same time. */
  overlaps: { integrationId: string; first: string; second: string }[];
  /** Runs of the window not ended when read (in progress, or their worker was killed): left out of the overlap check. */
  unended: number;
  runs: number;
}

const isScheduled = (run: RunDoc) => (run.trigger ?? 'schedule') === 'schedule';

/**
 * Schedule lag from the runs' records: Agenda sets a recurring job's next due
 * time to its start plus the interval, so a scheduled run was due one interval
 * after the previous scheduled run of its integration started; its lag is the
 * rest. `runs` must include each integration's scheduled run before the window
 * (the lag of the window's first run needs it): pass runs from one interval
 * before `windowStart`, only runs started in the window are counted.
 */
export function scheduleFigures(runs: readonly RunDoc[], ids: readonly string[], windowStart: Date, windowEnd: Date, intervalMs: number): ScheduleFigures {
  const byIntegration = new Map<string, RunDoc[]>(ids.map((id) => [id, []]));
  for (const run of runs) byIntegration.get(run.integrationId)?.push(run);
  const figures: ScheduleFigures = { lagsMs: [], missed: [], overlaps: [], unended: 0, runs: 0 };
  for (const [integrationId, all] of byIntegration) {
    const starts = all.filter(isScheduled).map((run) => run.startedAt.getTime());
    let previous = starts.filter((start) => start < windowStart.getTime()).at(-1);
    let biggestGap = 0;
    for (const start of starts.filter((start) => start >= windowStart.getTime() && start < windowEnd.getTime())) {
      if (previous !== undefined) figures.lagsMs.push(Math.max(0, start - previous - intervalMs));
      biggestGap = Math.max(biggestGap, start - (previous ?? windowStart.getTime()));
      previous = start;
    }
    biggestGap = Math.max(biggestGap, windowEnd.getTime() - (previous ?? windowStart.getTime()));
    if (biggestGap > 2 * intervalMs) figures.missed.push({ integrationId, gapMs: biggestGap });

    const inWindow = all.filter((run) => run.startedAt >= windowStart);
    figures.runs += inWindow.length;
    figures.unended += inWindow.filter((run) => run.endedAt === null).length;
    // Sorted by start: a run that starts before the latest end so far ran beside that run.
    let latest: RunDoc | undefined;
    for (const run of all.filter((candidate) => candidate.endedAt !== null)) {
      if (latest && run.startedAt < latest.endedAt!) figures.overlaps.push({ integrationId, first: latest._id, second: run._id });
      if (!latest || run.endedAt! > latest.endedAt!) latest = run;
    }
  }
  return figures;
}

/** Nearest-rank percentile of `values` (unsorted); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export interface Edit {
  member: FleetMember;
  contact: { Id: string; Email: string };
  title: string;
  /** ms after the minute's start. */
  at: number;
  doneAt?: number;
}

/**
 * One minute's edits: 1% of each org's Contacts (at least one), each at a
 * random instant of the minute (seeded `random`), a new Title through the Salesforce API as the
 * org's user (single-record PATCH, which the benchmark leaves out of the
 * product's call counts).
 */
export function minuteOfEdits(members: readonly FleetMember[], minute: number, random: () => number, minuteMs = 60_000): Edit[] {
  const edits: Edit[] = [];
  for (const member of members) {
    const count = Math.max(1, Math.round(member.contacts.length / 100));
    for (let i = 0; i < count; i += 1) {
      // In turn, not at random: no Contact is edited twice within 100 minutes, so a sampled edit is never overwritten.
      const contact = member.contacts[(minute * count + i) % member.contacts.length]!;
      edits.push({ member, contact, title: `Fleet m${minute} ${Math.floor(random() * 1e9).toString(36)}`, at: Math.round(random() * minuteMs) });
    }
  }
  return edits.sort((a, b) => a.at - b.at);
}

/**
 * Makes each edit at its instant of the minute from `start`. As many at once as a second's worth of them (6 at least):
 * with 6, the 5,168 edits a minute of 4,000 integrations took over two minutes each (80–150 ms an edit), and the
 * 3-minute window measured lasted 6.5.
 */
export async function makeEdits(edits: readonly Edit[], start: number, concurrency = Math.max(6, Math.ceil(edits.length / 60))): Promise<void> {
  await eachLimited(edits, concurrency, async (edit) => {
    await sleep(Math.max(0, start + edit.at - Date.now()));
    await edit.member.conn.sobject('Contact').update({ Id: edit.contact.Id, Title: edit.title });
    edit.doneAt = Date.now();
  });
}

/**
 * Watches edits (those made: `doneAt` set) until each shows in Brevo (JOB_TITLE ← Title, read through
 * the sandbox's control routes, not the API), or `stop()` says to stop. `seen` gets each edit's time from
 * its Salesforce write to the poll that found it.
 */
export async function watchEdits(brevo: BrevoControl, edits: readonly Edit[], stop: () => boolean, seen: Map<Edit, number>, pollMs: number): Promise<void> {
  while (!stop()) {
    const waiting = edits.filter((edit) => edit.doneAt !== undefined && !seen.has(edit));
    const byAccount = new Map<string, Edit[]>();
    for (const edit of waiting) byAccount.set(edit.member.accountId, [...(byAccount.get(edit.member.accountId) ?? []), edit]);
    for (const [accountId, accountEdits] of byAccount) {
      const found = await brevo.findContacts(accountId, accountEdits.map((edit) => edit.contact.Email));
      const at = Date.now();
      accountEdits.forEach((edit, i) => {
        if (found[i]?.attributes.JOB_TITLE === edit.title) seen.set(edit, at - edit.doneAt!);
      });
    }
    await sleep(pollMs);
  }
}

/** The single-record edit route the benchmark's own edits take (not the product's calls). */
export const EDIT_ROUTE = 'PATCH /services/data/v62.0/sobjects/Contact/:id';
