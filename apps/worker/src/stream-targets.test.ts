import { IntegrationStatus } from '@contact-sync/rules';
import type { SalesforceConnectionHandle } from '@contact-sync/salesforce';
import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { accountRepository, createSyncStore, integrationModel, integrationRepository, streamKeyOfIntegration } from '@contact-sync/store';
import type { IntegrationSnapshot, StreamPorts } from '@contact-sync/sync';
import { until, useTestDatabase } from '@contact-sync/testing';
import mongoose from 'mongoose';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';
import { createIntegrationRunner } from './integration-runner.ts';
import { StreamSupervisor, TARGET_REREAD_MS } from './stream-supervisor.ts';
import { wholeIntegrationOn } from './testing/whole-integration.ts';

/**
 * A held stream's session asks for its targets every 2 s (and at each batch), and the runner's `streamTargetOf` reads
 * the integration's sync state and its account: at 500 integrations held, 30,000 reads a minute. Here the runner's
 * own `streamTargetOf`, its reads counted from the driver's events.
 */
const database = useTestDatabase('worker_stream_targets');
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);
const ORGS = 3;
const PER_ORG = 2;

describe("a held stream's targets", () => {
  it('are made once, and again only for an integration or an account written since, or after TARGET_REREAD_MS; a new mapping, a pause, a new account address and a load\'s end are still taken', async () => {
    const monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
    /**
     * The finds of what a target is made of, beside the integration's document: its sync state and its account (by its
     * id; the tick's one find of the held accounts' versions, by a list of ids, is not one of them).
     */
    let targetReads = 0;
    let versionReads = 0;
    monitored.getClient().on('commandStarted', (event) => {
      if (event.commandName !== 'find') return;
      const collection = String(event.command.find);
      const byIds = typeof event.command.filter?.accountId === 'object';
      if (collection === 'sync_states' || (collection === 'accounts' && !byIds)) targetReads += 1;
      if (collection === 'accounts' && byIds) versionReads += 1;
    });
    const accounts = accountRepository(database.connection, secrets);
    const integrations = integrationRepository(database.connection, secrets);
    const store = createSyncStore(database.connection.db!);
    const docs = Array.from({ length: ORGS * PER_ORG }, (_, i) => wholeIntegrationOn(i % ORGS, Math.floor(i / ORGS), secrets));
    await integrationModel(database.connection).insertMany(docs);
    for (let org = 0; org < ORGS; org += 1) await accounts.setBrevoKey(`acc_fleet_${org}`, { apiKey: `xkeysib-fleet-${org}`, notificationEmail: `notices-${org}@fleet.test` });
    // One integration still in its initial load: no target yet. The one paused is not the one its stream subscribes
    // with (the oldest on it): that stream would be given up and taken again, with targets of its own.
    const [edited, , loading, , paused] = docs.map((doc) => doc._id.toHexString());
    for (const id of docs.map((doc) => doc._id.toHexString())) {
      await store.state.get(id);
      if (id !== loading) await store.state.markInitialLoadDone(id);
    }

    let clock = Date.parse('2026-12-05T15:00:00Z');
    const runner = createIntegrationRunner({ connection: monitored, secrets, store: createSyncStore(monitored.db!), config: loadWorkerConfig({ MONGODB_URI: database.uri }), logger: pino({ level: 'silent' }) });
    const sessions = new Map<string, StreamPorts>();
    const supervisor = new StreamSupervisor({
      store: createSyncStore(database.connection.db!),
      workerId: 'worker-targets',
      enabled: true,
      everyMs: 25,
      leaseTtlMs: 60_000,
      now: () => new Date(clock),
      listSyncing: () => integrations.listSyncingVersionsForWorker(),
      findSyncing: (ids) => integrations.findSyncingForWorker(ids),
      targetOf: runner.streamTargetOf,
      accountVersions: runner.accountVersions,
      salesforceOf: () => ({ connection: {} }) as SalesforceConnectionHandle,
      exclusive: async () => false,
      requestRun: async () => {},
      session: { pollSeconds: 60, safetyNetSeconds: 900 },
      openSession: (ports) => {
        sessions.set(ports.key, ports);
        return { start: async () => {}, stop: async () => {} };
      },
    });
    /** Every session asks for its targets, as each does every 2 s: the integrations they would apply changes to. */
    const ask = async () => new Map<string, IntegrationSnapshot>((await Promise.all([...sessions.values()].map((ports) => ports.targets()))).flat().map((target) => [target.integration.id, target.integration]));
    try {
      supervisor.start();
      await until('every stream held', () => supervisor.heldKeys().length === ORGS);
      expect(new Set(supervisor.heldKeys())).toEqual(new Set(docs.map((doc) => streamKeyOfIntegration(doc))));

      // The first ask makes every target (reads for each), and a minute of asks after it reads nothing more.
      let before = targetReads;
      expect([...(await ask()).keys()].sort()).toEqual(docs.map((doc) => doc._id.toHexString()).filter((id) => id !== loading).sort());
      expect(targetReads - before).toBeGreaterThanOrEqual(ORGS * PER_ORG);
      before = targetReads;
      for (let i = 0; i < 30; i += 1) await ask();
      expect(targetReads - before).toBe(0);

      // A mapping edited: the tick reads the document again, and the next ask makes its target, with the new mapping, and no other.
      before = targetReads;
      await integrations.setMapping(docs[0]!.accountId, edited!, { EMAIL: 'Email', CITY: 'MailingCity' });
      await until('the new mapping taken', async () => Object.keys((await ask()).get(edited!)?.mapping ?? {}).length === 2);
      expect(targetReads - before).toBe(2);

      // Paused: no longer a target once the tick has listed the fleet; nothing read for it.
      before = targetReads;
      await integrations.transition(docs[4]!.accountId, paused!, [IntegrationStatus.Active], IntegrationStatus.Paused);
      await until('the paused integration no longer a target', async () => !(await ask()).has(paused!));
      expect(targetReads - before).toBe(0);

      // The account written (a new key and notice address): the tick sees its last write (one find for the held streams'
      // accounts, whatever their number), and the next ask makes its integration's target again, with its new address.
      const onAccount2 = docs[5]!._id.toHexString();
      expect(docs[5]!.accountId).toBe('acc_fleet_2');
      const versionsBefore = versionReads;
      await accounts.setBrevoKey('acc_fleet_2', { apiKey: 'xkeysib-fleet-2-new', notificationEmail: 'new-notices-2@fleet.test' });
      await until('the new notice address taken', async () => (await ask()).get(onAccount2)?.notificationEmail === 'new-notices-2@fleet.test');
      expect(versionReads - versionsBefore).toBeGreaterThan(0);
      expect((await ask()).get(docs[0]!._id.toHexString())?.notificationEmail).toBe('notices-0@fleet.test');

      // What neither the integration's document nor its account shows: the end of its initial load. Taken once
      // TARGET_REREAD_MS has passed since its target was made, and not before.
      await store.state.markInitialLoadDone(loading!);
      clock += TARGET_REREAD_MS - 1_000;
      before = targetReads;
      let targets = await ask();
      expect([targets.get(loading!), targetReads - before]).toEqual([undefined, 0]);
      clock += 1_000;
      targets = await ask();
      expect(targets.get(loading!)?.notificationEmail).toBe('new-notices-2@fleet.test');
      expect(targets.size).toBe(ORGS * PER_ORG - 1);
      expect(targetReads - before).toBeGreaterThanOrEqual(targets.size);
    } finally {
      await supervisor.stop();
      await monitored.close();
    }
  }, 60_000);
});
