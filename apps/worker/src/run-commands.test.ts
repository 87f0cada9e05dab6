import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { createSyncStore, type SyncStore } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import mongoose, { type Connection } from 'mongoose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, startWebhookReceiver, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { createActiveIntegration } from '../../../packages/sync/src/testing/stack.ts';
import { loadWorkerConfig } from './config.ts';
import { createIntegrationRunner } from './integration-runner.ts';
import { SyncScheduler } from './scheduler.ts';

/**
 * Benchmark #7: a run's cost is per database command (each a serialization, a socket write, a decoded reply in the
 * worker and a request in the database), and most runs of a fleet are incremental runs with nothing or a few records
 * changed. These are the commands of such runs, each one said, sent by a worker's run under its lease (Agenda's own
 * three on the run's job come on top, and the scheduler's look for a waiting load until the integration's first short
 * run on the worker: `scheduler.test.ts`).
 */
const database = useTestDatabase('worker_run_commands');
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);
let harness: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let monitored: Connection;
/** `command collection` of every command the monitored connection sent since the last `take`. */
let sent: string[] = [];

beforeAll(async () => {
  // The sandbox's limits off: this counts the worker's own budget (in the database), which it takes either way.
  harness = await startHarness(database.connection.db!, { rateLimits: { enabled: false }, webhooks: { batchWindowMs: 20 } });
  receiver = await startWebhookReceiver(harness.store);
  monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
  monitored.getClient().on('commandStarted', (event) => {
    const target = (event.command as Record<string, unknown>)[event.commandName];
    sent.push(typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName);
  });
});
afterAll(async () => {
  await monitored?.close();
  await receiver?.close();
  await harness?.stop();
});

function take(): string[] {
  const commands = sent;
  sent = [];
  return commands;
}

/** A worker on the monitored connection, and a run of one integration as its scheduler runs it (lease and all). */
function worker() {
  const config = loadWorkerConfig({ MONGODB_URI: database.uri, BREVO_API_URL: harness.brevo.baseUrl, SALESFORCE_LOGIN_URL: harness.salesforce.url, BFF_PUBLIC_URL: receiver.url });
  const store: SyncStore = createSyncStore(monitored.db!);
  const runner = createIntegrationRunner({ connection: monitored, secrets, store, config, logger: pino({ level: 'silent' }) });
  const scheduler = new SyncScheduler({ db: monitored.db!, store, workerId: 'worker-commands', intervalSeconds: 60, concurrency: 8, listSyncing: async () => [], runOne: runner.runOne, isLoad: runner.isLoad });
  return { store, run: (trigger: 'schedule' | 'activation') => scheduler.runWithLease(integrationId, undefined, trigger, true) };
}

let integrationId = '';

/** What every run sends before its Salesforce → Brevo pass reads anything. */
const RUN_START = [
  'findAndModify sync_leases', // the integration's lease
  'find sync_states', // its sync state: read once, for the whole run
  'find integrations', // the integration (mapping, list, tokens)
  'find accounts', // its account: the Brevo key and the notification address
  'find sync_webhook_events', // Brevo changes to apply first: none
  'find sync_rate_budgets', // the Salesforce org's daily-limit pause, shared by the org's integrations
  'update sync_states', // the run in progress, for the integration list
  'insert sync_runs', // the run's record
];
/** What every run sends at its end. */
const RUN_END = [
  'findAndModify sync_runs', // the record's end, with the counts of its only chunk
  'update sync_states', // no run in progress, the last sync, and a completed run (its failures in a row ended)
  'update sync_leases', // the lease released
];

describe('the database commands of an incremental run', () => {
  it('nothing changed: 11 commands (24 before: the sync state read four times, the record and its summary written ten times, a lease check and a quota look-up with nothing to commit)', async () => {
    integrationId = (await createActiveIntegration(database.connection, secrets, harness, 'Commands of a run')).id;
    const { run } = worker();
    await run('activation');
    // The initial load's echoes (Brevo's webhooks of its imports) applied: what follows is the steady state.
    await harness.brevo.deliveries.idle();
    await run('schedule');
    await harness.brevo.deliveries.idle();

    take();
    expect(await run('schedule')).toBe(true);
    expect(take()).toEqual([...RUN_START, ...RUN_END]);
  }, 120_000);

  it('one record edited in Salesforce: 20 commands (34 before)', async () => {
    const { run } = worker();
    const [contact] = (await harness.conn.query<{ Id: string }>('SELECT Id FROM Contact WHERE Email != null ORDER BY Id LIMIT 1')).records;
    const edit = (title: string) => harness.conn.sobject('Contact').update({ Id: contact!.Id, Title: title });
    // A first edit: the record's contact, made by the initial load's import, is known by its ext_id only until then.
    await edit('Buyer');
    await run('schedule');
    await harness.brevo.deliveries.idle();
    await run('schedule');

    await edit('Head buyer');
    take();
    expect(await run('schedule')).toBe(true);
    expect(take()).toEqual([
      ...RUN_START,
      'find sync_links', // the chunk's links
      'find integrations', // the account's integrations on other orgs (R14: their records' Ids may repeat ours)
      'find sync_quota_limits', // the integration's quota, for the chunk's reservation
      'findAndModify sync_quota_usage', // the chunk's operations reserved (and the month's document made), one write
      'update sync_rate_budgets', // a call from the account's Brevo budget, one update
      'update sync_links', // the link of the record written
      'update sync_record_errors', // the record's earlier errors closed
      'update sync_quota_usage', // the reservation settled to what was written, and forgotten
      'update sync_states', // the watermark, past the record
      ...RUN_END,
    ]);
    const [record] = await harness.store.runs.list(integrationId, 1);
    expect(record).toMatchObject({ status: 'succeeded', counts: { read: 1, updated: 1 }, operationsCharged: 1, progress: { done: 1, total: 1 } });
  }, 120_000);

  it('a run a killed worker left running is closed by the next run, which names its own in the sync state before its record exists', async () => {
    const { run, store } = worker();
    const abandoned = await store.runs.start(integrationId, 'salesforce_to_brevo', false, new Date(), 'schedule');
    expect((await store.state.get(integrationId)).currentRun?.runId).toBe(abandoned._id);
    await run('schedule');
    expect(await store.runs.get(abandoned._id)).toMatchObject({ status: 'failed', outcome: { code: 'worker_lost' } });
    expect((await store.state.get(integrationId)).currentRun).toBeNull();

    // Killed between the two writes of a run's start: the state names a run that has no record. The next run starts
    // its own (the list shows no run in progress after it), and a later one has nothing to close.
    await monitored.db!.collection('sync_states').updateOne({ _id: integrationId } as never, { $set: { currentRun: { runId: 'never-recorded', startedAt: new Date(), done: 0, total: null } } });
    await run('schedule');
    expect((await store.state.get(integrationId)).currentRun).toBeNull();
    expect((await store.runs.list(integrationId, 50)).filter((doc) => doc.status === 'running')).toEqual([]);
  }, 120_000);
});
