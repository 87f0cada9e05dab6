import { IntegrationStatus } from '@contact-sync/rules';
import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { createSyncStore, integrationModel, streamKeyOf, SYNC_STATES } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import mongoose, { Types, type Connection } from 'mongoose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';
import { createIntegrationRunner } from './integration-runner.ts';

/**
 * The reconcile's listing (`listSyncing`, every 5 s): an integration whose stream is in real time runs at the safety
 * net's interval once its initial load is done. It read each such integration's sync state with a find of its own, at
 * every listing: with streaming on (the default) as many finds as integrations in real time.
 */
const database = useTestDatabase('worker_runner_listing');
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);
let monitored: Connection;
const stateFinds: unknown[] = [];
let stateDocuments = 0;

beforeAll(async () => {
  monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
  const states = new Set<number>();
  monitored.getClient().on('commandStarted', (event) => {
    if (event.commandName === 'find' && event.command.find === SYNC_STATES) {
      stateFinds.push(event.command.filter);
      states.add(event.requestId);
    }
  });
  monitored.getClient().on('commandSucceeded', (event) => {
    if (!states.delete(event.requestId)) return;
    stateDocuments += (event.reply as { cursor?: { firstBatch?: unknown[] } }).cursor?.firstBatch?.length ?? 0;
  });
});
afterAll(() => monitored?.close());

describe("the reconcile's listing of the fleet", () => {
  it('reads the sync states of the integrations on real-time streams in one find, whatever their number', async () => {
    const ORGS = 10;
    const PER_ORG = 6;
    const orgId = (org: number) => `00D${String(org).padStart(12, '0')}AAA`;
    const docs = Array.from({ length: ORGS * PER_ORG }, (_, i) => ({
      _id: new Types.ObjectId(),
      accountId: `acc_listing_${i % ORGS}`,
      kind: 'salesforce-contacts',
      name: `Listing ${i}`,
      nameKey: `listing ${i}`,
      status: i % 5 === 4 ? IntegrationStatus.Error : IntegrationStatus.Active,
      salesforce: { orgId: orgId(i % ORGS), userId: '005000000000001AAA', username: 'u@listing.test', displayName: null, instanceUrl: 'https://x.test', accessToken: secrets.seal('a', 'x'), refreshToken: secrets.seal('r', 'x'), connectedAt: new Date(), tokenRefreshedAt: null },
    }));
    await integrationModel(database.connection).insertMany(docs);
    const store = createSyncStore(database.connection.db!);
    // Orgs 0–5 in real time, the others polling; on each org every other integration has its initial load done.
    for (let org = 0; org < ORGS; org += 1) {
      const mode = org < 6 ? { mode: 'realtime' as const, reason: null } : { mode: 'polling' as const, reason: 'connecting' as const };
      await store.streams.setMode(streamKeyOf(orgId(org), 'Contact'), orgId(org), 'Contact', { ...mode, pollSeconds: 30, safetyNetSeconds: 600 }, new Date());
    }
    const loaded = docs.filter((_, i) => Math.floor(i / ORGS) % 2 === 0);
    for (const doc of docs) await store.state.get(doc._id.toHexString());
    for (const doc of loaded) await store.state.markInitialLoadDone(doc._id.toHexString());

    const config = loadWorkerConfig({ MONGODB_URI: database.uri, SYNC_INTERVAL_SECONDS: '30', SYNC_SAFETY_NET_SECONDS: '600' });
    const runner = createIntegrationRunner({ connection: monitored, secrets, store: createSyncStore(monitored.db!), config, logger: pino({ level: 'silent' }) });
    const listed = await runner.listSyncing();

    const expected = docs.map((doc, i) => ({
      integrationId: doc._id.toHexString(),
      intervalSeconds: i % ORGS < 6 && loaded.includes(doc) ? 600 : 30,
    }));
    expect(listed.sort((a, b) => a.integrationId.localeCompare(b.integrationId))).toEqual(expected.sort((a, b) => a.integrationId.localeCompare(b.integrationId)));
    expect(expected.filter((entry) => entry.intervalSeconds === 600)).toHaveLength(18);
    // One find of the 36 on real-time streams, which returns the 18 loaded ones.
    expect(stateFinds).toHaveLength(1);
    expect(stateDocuments).toBe(18);
  });
});
