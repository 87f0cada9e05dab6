import type { RecordFilter } from '@contact-sync/rules';
import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { createSyncStore, integrationModel, integrationRepository, SYNC_STREAMS, streamKeyOf, watermarkOf, type RunTrigger } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import mongoose, { Types } from 'mongoose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, listMembers, startHarness, startWebhookReceiver, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { createActiveIntegration } from '../../../packages/sync/src/testing/stack.ts';
import { loadWorkerConfig } from './config.ts';
import { createIntegrationRunner, failureBackoffMs } from './integration-runner.ts';
import { createWorkerMetrics } from './metrics.ts';
import { NEEDS_LOAD_SLOT } from './scheduler.ts';

const database = useTestDatabase('worker_runner');
let harness: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);

beforeAll(async () => {
  // Set up and checked through Brevo's API between runs: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  harness = await startHarness(database.connection.db!, BREVO_LIMITS_OFF_FOR_API_CHECKS);
  receiver = await startWebhookReceiver(harness.store);
});
afterAll(async () => {
  await receiver.close();
  await harness.stop();
});

describe('worker runner on the BFF documents', () => {
  // Before the test below, which revokes the sandbox user's tokens.
  it('a failing org: scheduled runs back off (1, 2, 4… intervals), the integration is marked with its error, a requested run still runs, one that completes clears it', async () => {
    const integrations = integrationRepository(database.connection, secrets);
    const { id } = await createActiveIntegration(database.connection, secrets, harness, 'Failing org');
    const config = loadWorkerConfig({ MONGODB_URI: database.uri, BREVO_API_URL: harness.brevo.baseUrl, SALESFORCE_LOGIN_URL: harness.salesforce.url, BFF_PUBLIC_URL: receiver.url, SYNC_INTERVAL_SECONDS: '60' });
    const metrics = createWorkerMetrics({ defaultMetrics: false });
    const runner = createIntegrationRunner({ connection: database.connection, secrets, store: harness.store, config, logger: pino({ level: 'silent' }), metrics });
    const runsEnded = async () => (await metrics.runsEnded.get()).values.map(({ labels, value }) => `${labels.trigger} ${labels.end} ${value}`);
    const faults = `${harness.salesforce.url}/__sandbox/faults`;
    await fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pathPrefix: '/services/data', status: 503, times: 100_000 }) });
    try {
      await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: true, trigger: 'schedule' });
      const ended = Date.now();
      const state = await harness.store.state.get(id);
      expect(state.failuresInARow).toBe(1);
      // One interval from the failure (which came before `ended`).
      expect(state.backoffUntil!.getTime() - ended).toBeGreaterThan(50_000);
      expect(state.backoffUntil!.getTime() - ended).toBeLessThanOrEqual(60_000);
      const doc = (await integrations.findByIdForWorker(id))!;
      expect(doc.status).toBe('error');
      expect(doc.statusReason?.code).toBe('sync_failed');
      // Its schedule comes again within the back-off: nothing is called.
      harness.salesforce.calls.reset();
      await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: true, trigger: 'schedule' });
      expect(harness.salesforce.calls.snapshot().total).toBe(0);
      // Counted (the run held back is not a run); the fleet's back-off count (the worker's gauge) sees it.
      expect(await runsEnded()).toEqual(['schedule failed 1']);
      expect(await harness.store.state.countBackingOff(new Date())).toBe(1);
      // Failures in a row wait 1, 2, 4… intervals, at most an hour.
      expect([1, 2, 3, 4, 10].map((failures) => failureBackoffMs(failures, 60) / 60_000)).toEqual([1, 2, 4, 8, 60]);
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
    // "Sync now" runs within the back-off; it completes.
    await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: true, trigger: 'sync_now' });
    const after = await harness.store.state.get(id);
    expect(after).toMatchObject({ failuresInARow: 0, backoffUntil: null });
    expect(await harness.store.state.countBackingOff(new Date())).toBe(0);
    expect(await runsEnded()).toEqual(['schedule failed 1', 'sync_now completed 1']);
    // The seeded org's rejected records keep it in error, now for them.
    expect((await integrations.findByIdForWorker(id))!.statusReason?.code).toBe('record_errors');
  }, 180_000);

  // Issue 17 ("calls at the floor"): a describe per run was half an incremental run's Salesforce calls.
  it('keeps the describe of what the integration’s Salesforce user sees between runs (SALESFORCE_DESCRIBE_TTL_SECONDS): a run then makes its queryAll only; describes again once the integration is written, for "Sync now", after a failed run; 0 describes at every run', async () => {
    const { id } = await createActiveIntegration(database.connection, secrets, harness, 'Kept describe');
    const runnerWith = (settings: Record<string, string> = {}) =>
      createIntegrationRunner({
        connection: database.connection,
        secrets,
        store: harness.store,
        config: loadWorkerConfig({ MONGODB_URI: database.uri, BREVO_API_URL: harness.brevo.baseUrl, SALESFORCE_LOGIN_URL: harness.salesforce.url, BFF_PUBLIC_URL: receiver.url, ...settings }),
        logger: pino({ level: 'silent' }),
      });
    /** The Salesforce calls of one run, by kind. */
    const callsOf = async (runner: ReturnType<typeof runnerWith>, trigger: RunTrigger) => {
      harness.salesforce.calls.reset();
      await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: true, trigger });
      const byRoute = Object.entries(harness.salesforce.calls.snapshot().byRoute);
      const count = (kind: string) => byRoute.filter(([route]) => route.endsWith(kind)).reduce((sum, [, calls]) => sum + calls, 0);
      return { describe: count('/describe'), queryAll: count('/queryAll'), total: harness.salesforce.calls.snapshot().total };
    };
    const kept = { describe: 0, queryAll: 1, total: 1 };
    const described = { describe: 1, queryAll: 1, total: 2 };

    const runner = runnerWith();
    expect((await callsOf(runner, 'activation')).describe).toBe(1);
    // The integration written since: the initial load's refused records set its status to error, the next run (none
    // refused) back to active. Each of those two runs describes again; then the describe is the one kept.
    expect(await callsOf(runner, 'schedule')).toEqual(described);
    expect(await callsOf(runner, 'schedule')).toEqual(described);
    expect(await callsOf(runner, 'schedule')).toEqual(kept);
    expect(await callsOf(runner, 'schedule')).toEqual(kept);

    // "Sync now": the user may have just changed something in Salesforce.
    expect(await callsOf(runner, 'sync_now')).toEqual(described);
    expect(await callsOf(runner, 'schedule')).toEqual(kept);

    // The integration written since (here renamed; a mapping saved after a field was added in Salesforce alike).
    await integrationModel(database.connection).updateOne({ _id: id }, { $set: { name: 'Kept describe, renamed' } });
    expect(await callsOf(runner, 'schedule')).toEqual(described);
    expect(await callsOf(runner, 'schedule')).toEqual(kept);

    // A failed run (Salesforce answering 503): a changed field can be why. The status it sets is a write of the
    // integration, which every worker reads: the next run describes again.
    const faults = `${harness.salesforce.url}/__sandbox/faults`;
    await fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pathPrefix: '/services/data', status: 503, times: 100_000 }) });
    try {
      await callsOf(runner, 'sync_now');
      expect((await harness.store.state.get(id)).failuresInARow).toBe(1);
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
    await database.connection.db!.collection('sync_states').updateOne({ _id: id as never }, { $set: { backoffUntil: null } });
    expect(await callsOf(runner, 'schedule')).toEqual(described);
    // That run set the status back to active (a write of the integration): the next describes once more.
    expect(await callsOf(runner, 'schedule')).toEqual(described);
    expect(await callsOf(runner, 'schedule')).toEqual(kept);

    // Kept by nobody: every run describes.
    const describing = runnerWith({ SALESFORCE_DESCRIBE_TTL_SECONDS: '0' });
    expect(await callsOf(describing, 'schedule')).toEqual(described);
    expect(await callsOf(describing, 'schedule')).toEqual(described);
  }, 60_000);

  // Issue 17: loads run in a worker's load slots (WORKER_LOAD_SLOTS), whichever job they start from.
  it('a load (initial load, continuation, re-read after a filter change) outside a load slot reads nothing and asks for one; a short run runs in any slot', async () => {
    const { id } = await createActiveIntegration(database.connection, secrets, harness, 'Load slots');
    const config = loadWorkerConfig({ MONGODB_URI: database.uri, BREVO_API_URL: harness.brevo.baseUrl, SALESFORCE_LOGIN_URL: harness.salesforce.url, BFF_PUBLIC_URL: receiver.url });
    const runner = createIntegrationRunner({ connection: database.connection, secrets, store: harness.store, config, logger: pino({ level: 'silent' }) });
    const run = (trigger: RunTrigger, inLoadSlot: boolean) => runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, trigger, inLoadSlot });
    /** What a run asked of the slot, and whether it read Salesforce or recorded a run. */
    const outcomeOf = async (trigger: RunTrigger, inLoadSlot: boolean) => {
      harness.salesforce.calls.reset();
      const runsBefore = (await harness.store.runs.list(id)).length;
      const asked = await run(trigger, inLoadSlot);
      return { asked: asked ?? 'ran', read: harness.salesforce.calls.snapshot().total > 0, recorded: (await harness.store.runs.list(id)).length > runsBefore };
    };
    const handedOver = { asked: NEEDS_LOAD_SLOT, read: false, recorded: false };

    // The initial load, whatever asked for it.
    expect(await outcomeOf('activation', false)).toEqual(handedOver);
    expect(await outcomeOf('schedule', false)).toEqual(handedOver);
    expect(await outcomeOf('activation', true)).toEqual({ asked: 'ran', read: true, recorded: true });
    expect((await harness.store.state.get(id)).initialLoadDone).toBe(true);
    // Then a short run in any slot; a continuation (a run that gave way with more to read) is a load.
    expect(await outcomeOf('schedule', false)).toEqual({ asked: 'ran', read: true, recorded: true });
    expect(await outcomeOf('continuation', false)).toEqual(handedOver);
    // The record filter changed since the watermark: every record is read again.
    const state = await harness.store.state.get(id);
    expect(await harness.store.state.restartForFilter(id, watermarkOf(state), 'the filter before')).toBe(true);
    expect(await outcomeOf('schedule', false)).toEqual(handedOver);
    expect(await outcomeOf('schedule', true)).toEqual({ asked: 'ran', read: true, recorded: true });
    expect(await outcomeOf('schedule', false)).toEqual({ asked: 'ran', read: true, recorded: true });
  }, 60_000);

  it('the slot the worker gives a run and what the engine then reads agree: initial load, re-read after a filter change, continuation, scheduled run, sync_now', async () => {
    const { id } = await createActiveIntegration(database.connection, secrets, harness, 'One decision');
    const config = loadWorkerConfig({ MONGODB_URI: database.uri, BREVO_API_URL: harness.brevo.baseUrl, SALESFORCE_LOGIN_URL: harness.salesforce.url, BFF_PUBLIC_URL: receiver.url });
    const runner = createIntegrationRunner({ connection: database.connection, secrets, store: harness.store, config, logger: pino({ level: 'silent' }) });
    const run = (trigger: RunTrigger, inLoadSlot: boolean) => runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, trigger, inLoadSlot });
    /**
     * The slot the worker gave the run (a load is handed to a load slot, as the scheduler does), and what the engine's
     * Salesforce → Brevo run read. The scheduler's request-time guess (`isLoad`) is that slot.
     */
    const slotAndRead = async (trigger: RunTrigger) => {
      const guessed = await runner.isLoad(id, trigger);
      const loadSlot = (await run(trigger, false)) === NEEDS_LOAD_SLOT;
      expect(guessed).toBe(loadSlot);
      if (loadSlot) await run(trigger, true);
      const [last] = (await harness.store.runs.list(id)).filter((doc) => doc.direction === 'salesforce_to_brevo');
      return { slot: loadSlot ? 'load' : 'ordinary', trigger: last!.trigger, initialLoad: last!.initialLoad, read: last!.counts.read };
    };

    const initial = await slotAndRead('activation');
    expect(initial).toMatchObject({ slot: 'load', trigger: 'activation', initialLoad: true });
    const all = initial.read;
    expect(all).toBeGreaterThan(0);
    // From the watermark: nothing changed since.
    expect(await slotAndRead('schedule')).toEqual({ slot: 'ordinary', trigger: 'schedule', initialLoad: false, read: 0 });
    expect(await slotAndRead('sync_now')).toEqual({ slot: 'ordinary', trigger: 'sync_now', initialLoad: false, read: 0 });
    // A continuation goes on from the watermark (here at the end), in a load slot.
    expect(await slotAndRead('continuation')).toEqual({ slot: 'load', trigger: 'continuation', initialLoad: false, read: 0 });
    // The record filter saved on the integration changed since the watermark: every record is read again, whichever
    // trigger asked; then short runs again. (A filter every seeded Contact matches: none leaves the list.)
    const saveFilter = (recordFilter: RecordFilter | null) => database.connection.db!.collection('integrations').updateOne({ _id: new Types.ObjectId(id) }, { $set: { recordFilter } });
    await saveFilter({ groups: [{ conditions: [{ field: 'LastName', operator: 'isNotEmpty' }] }] });
    expect(await slotAndRead('schedule')).toEqual({ slot: 'load', trigger: 'schedule', initialLoad: false, read: all });
    expect(await slotAndRead('sync_now')).toEqual({ slot: 'ordinary', trigger: 'sync_now', initialLoad: false, read: 0 });
    await saveFilter(null);
    expect(await slotAndRead('sync_now')).toEqual({ slot: 'load', trigger: 'sync_now', initialLoad: false, read: all });
    expect(await slotAndRead('schedule')).toEqual({ slot: 'ordinary', trigger: 'schedule', initialLoad: false, read: 0 });
  }, 60_000);

  // Before the test below, which revokes the sandbox user's tokens: its run must reach Salesforce.
  // The reconcile lists every syncing integration every 5 s: at 2,000 integrations whole documents (about 1.5 kB each,
  // mapping and sealed tokens) and every stream's document at each listing grew the worker's CPU per run with the fleet.
  it('lists the syncing integrations with only their ids and streams, and reads only the streams in real time; a run reads its account once', async () => {
    const { id } = await createActiveIntegration(database.connection, secrets, harness, 'Fleet listing');
    const monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
    try {
      const replies: { collection: string; documents: Record<string, unknown>[] }[] = [];
      const collectionOf = new Map<number, string>();
      monitored.getClient().on('commandStarted', (event) => {
        if (event.commandName === 'find') collectionOf.set(event.requestId, String(event.command.find));
      });
      monitored.getClient().on('commandSucceeded', (event) => {
        const collection = collectionOf.get(event.requestId);
        const batch = (event.reply as { cursor?: { firstBatch?: Record<string, unknown>[] } }).cursor?.firstBatch;
        if (collection && batch) replies.push({ collection, documents: batch });
      });
      const config = loadWorkerConfig({
        MONGODB_URI: database.uri,
        BREVO_API_URL: harness.brevo.baseUrl,
        SALESFORCE_LOGIN_URL: harness.salesforce.url,
        BFF_PUBLIC_URL: receiver.url,
        SYNC_INTERVAL_SECONDS: '30',
        SYNC_SAFETY_NET_SECONDS: '600',
      });
      const runner = createIntegrationRunner({ connection: monitored, secrets, store: createSyncStore(monitored.db!), config, logger: pino({ level: 'silent' }) });
      await harness.store.streams.setMode(streamKeyOf('00D000000000001AAA', 'Contact'), '00D000000000001AAA', 'Contact', { mode: 'polling', reason: 'streaming_disabled', pollSeconds: 30, safetyNetSeconds: 600 }, new Date());

      expect(await runner.listSyncing()).toContainEqual({ integrationId: id, intervalSeconds: 30 });
      const listed = replies.filter((reply) => reply.collection === 'integrations').flatMap((reply) => reply.documents);
      expect(listed.length).toBeGreaterThan(0);
      for (const doc of listed) expect(Object.keys(doc).sort()).toEqual(expect.arrayContaining(['_id', 'kind']));
      expect(listed.flatMap((doc) => Object.keys(doc)).filter((key) => !['_id', 'kind', 'salesforce'].includes(key))).toEqual([]);
      expect(listed.flatMap((doc) => Object.keys((doc.salesforce as object | null) ?? {})).filter((key) => key !== 'orgId')).toEqual([]);
      // The org's stream polls: its document is not read.
      expect(replies.filter((reply) => reply.collection === SYNC_STREAMS).flatMap((reply) => reply.documents)).toEqual([]);

      // A run reads its account once, for the notification address and the Brevo key both (it read it twice).
      replies.length = 0;
      await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: true, trigger: 'schedule' });
      expect(await harness.store.links.count(id)).toBeGreaterThan(0);
      expect(replies.filter((reply) => reply.collection === 'accounts')).toHaveLength(1);
    } finally {
      await monitored.close();
    }
  }, 60_000);

  it('syncs an active integration end to end, registers its webhook, and moves its status (error, then auth_error)', async () => {
    const integrations = integrationRepository(database.connection, secrets);
    const { id, listId } = await createActiveIntegration(database.connection, secrets, harness, 'Worker e2e');

    const config = loadWorkerConfig({
      MONGODB_URI: database.uri,
      BREVO_API_URL: harness.brevo.baseUrl,
      SALESFORCE_LOGIN_URL: harness.salesforce.url,
      BFF_PUBLIC_URL: receiver.url,
    });
    const runner = createIntegrationRunner({ connection: database.connection, secrets, store: harness.store, config, logger: pino({ level: 'silent' }) });
    expect(await runner.listSyncing()).toContainEqual({ integrationId: id, intervalSeconds: 60 });

    await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: true, trigger: 'schedule' });
    const members = await listMembers(harness.client, listId);
    expect(members.length).toBeGreaterThan(100);
    expect(members.length).toBe(await harness.store.links.count(id));
    const state = await harness.store.state.get(id);
    expect(state.brevoWebhookId).toBeTypeOf('number');
    const webhook = harness.brevo.state.account('acc_demo').webhooks.get(state.brevoWebhookId!);
    expect(JSON.stringify(state.webhookSecretSealed)).not.toContain(webhook.auth!.token);
    expect(webhook).toMatchObject({ type: 'marketing', events: ['contactUpdated', 'contactDeleted', 'unsubscribed'], batched: true });
    // The seeded org has rejected records (R10, R15): status error, as SPEC §4 says.
    expect((await integrations.findByIdForWorker(id))!.status).toBe('error');

    // "Retry" from the UI on a rejected record the user fixed in Salesforce: the next run writes it.
    const rejected = (await harness.store.errors.listForIntegration(id)).find((e) => e.code === 'phone_invalid_characters')!;
    await harness.conn.sobject('Contact').update({ Id: rejected.salesforceId!, MobilePhone: '+39 347 123 4567' });
    await harness.store.state.requestRetry(id, [rejected.salesforceId!]);
    await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: false, trigger: 'schedule' });
    expect((await listMembers(harness.client, listId)).some((m) => m.attributes.EXT_ID === rejected.salesforceId)).toBe(true);
    expect(await harness.store.state.retryRequests(id)).toEqual([]);

    await fetch(`${harness.salesforce.url}/__sandbox/tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo@acme.test' }) });
    await fetch(`${harness.salesforce.url}/__sandbox/tokens/expire`, { method: 'POST' });
    await runner.runOne(id, { stillOwner: async () => true, othersWaiting: async () => false, inLoadSlot: false, trigger: 'schedule' });
    expect((await integrations.findByIdForWorker(id))!.status).toBe('auth_error');
    expect((await runner.listSyncing()).map((entry) => entry.integrationId)).not.toContain(id);
  }, 60_000);

  it('polls an integration every SYNC_INTERVAL_SECONDS until its stream is real time and its initial load done, then every SYNC_SAFETY_NET_SECONDS', async () => {
    const { id } = await createActiveIntegration(database.connection, secrets, harness, 'Intervals');
    const config = loadWorkerConfig({ MONGODB_URI: database.uri, SYNC_INTERVAL_SECONDS: '30', SYNC_SAFETY_NET_SECONDS: '600' });
    const runner = createIntegrationRunner({ connection: database.connection, secrets, store: harness.store, config, logger: pino({ level: 'silent' }) });
    const intervalOf = async () => (await runner.listSyncing()).find((entry) => entry.integrationId === id)?.intervalSeconds;
    expect(await intervalOf()).toBe(30);
    await harness.store.streams.setMode(streamKeyOf('00D000000000001AAA', 'Contact'), '00D000000000001AAA', 'Contact', { mode: 'realtime', reason: null, pollSeconds: 30, safetyNetSeconds: 600 }, new Date());
    // The stream applies nothing before the initial load is done: a broken load must not wait for the safety net.
    expect(await intervalOf()).toBe(30);
    await harness.store.state.get(id);
    await harness.store.state.markInitialLoadDone(id);
    expect(await intervalOf()).toBe(600);
  });
});
