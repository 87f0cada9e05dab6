import { IntegrationStatus } from '@contact-sync/rules';
import type { SalesforceConnectionHandle } from '@contact-sync/salesforce';
import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { createSyncStore, integrationModel, integrationRepository, STREAM_LEASES, SYNC_STREAMS, streamKeyOfIntegration, type IntegrationDoc, type SyncingIntegrationVersion } from '@contact-sync/store';
import type { StreamPorts, StreamTarget } from '@contact-sync/sync';
import { until, useTestDatabase } from '@contact-sync/testing';
import mongoose, { Types, type Connection } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { wholeIntegrationOn } from './testing/whole-integration.ts';
import { DISABLED_TICK_MS, StreamSupervisor, TICK_MS, type StreamSupervisorOptions } from './stream-supervisor.ts';

/**
 * Streaming off (`SYNC_STREAMING=off`, benchmark #7's setting): the supervisor
 * makes every stream show `streaming_disabled`, looking at each tick (every
 * 3 s). With 500 orgs it read their streams one `_id` find each: 167 finds a
 * second, 35% of a worker's database commands in #7 (2026-12-05, 500
 * integrations). Then one find a tick, but of every stream, after a listing of
 * every integration in full: at 2,000 integrations 2,000 documents of each
 * every 3 s, which grew the worker's CPU per run with the fleet.
 *
 * Streaming on (the default), every tick listed every syncing integration in
 * full, and tried to take the lease of every stream another worker held (one
 * `findAndModify` each): both grew with the fleet, whoever held the streams.
 */
const database = useTestDatabase('worker_stream_supervisor');
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);
let monitored: Connection;

/** What the supervisors' commands cost, from the driver's events on their connection. */
const seen = {
  streamFinds: [] as string[],
  /** Stream documents the finds returned. */
  streamDocuments: 0,
  /** Integrations decoded in full (with their mapping and sealed tokens) and by reference. */
  fullIntegrations: 0,
  integrationRefs: 0,
  /** Lease documents read by finds, and lease `findAndModify`s (take, renew, release). */
  leaseDocuments: 0,
  leaseWrites: 0,
  reset() {
    this.streamFinds.length = 0;
    this.streamDocuments = this.fullIntegrations = this.integrationRefs = this.leaseDocuments = this.leaseWrites = 0;
  },
};

beforeAll(async () => {
  monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
  const collectionOf = new Map<number, string>();
  monitored.getClient().on('commandStarted', (event) => {
    const collection = String(event.command[event.commandName] ?? '');
    if (event.commandName === 'find' || event.commandName === 'getMore') collectionOf.set(event.requestId, event.commandName === 'getMore' ? String(event.command.collection) : collection);
    if (event.commandName === 'find' && collection === SYNC_STREAMS) seen.streamFinds.push(JSON.stringify(event.command.filter));
    if (event.commandName === 'findAndModify' && collection === STREAM_LEASES) seen.leaseWrites += 1;
  });
  monitored.getClient().on('commandSucceeded', (event) => {
    const collection = collectionOf.get(event.requestId);
    collectionOf.delete(event.requestId);
    const cursor = (event.reply as { cursor?: { firstBatch?: Record<string, unknown>[]; nextBatch?: Record<string, unknown>[] } }).cursor;
    const batch = cursor?.firstBatch ?? cursor?.nextBatch ?? [];
    if (collection === SYNC_STREAMS) seen.streamDocuments += batch.length;
    if (collection === STREAM_LEASES) seen.leaseDocuments += batch.length;
    if (collection === 'integrations') {
      for (const doc of batch) {
        if ('mappingEntries' in doc) seen.fullIntegrations += 1;
        else seen.integrationRefs += 1;
      }
    }
  });
});
afterAll(() => monitored?.close());
afterEach(() => vi.useRealTimers());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A supervisor on the test's connection; `counts` counts its listings (once each has returned) and its reads in full. */
function supervisor(overrides: Partial<StreamSupervisorOptions> & Pick<StreamSupervisorOptions, 'enabled' | 'listSyncing'>, counts = { listings: 0, fullReads: 0 }): StreamSupervisor {
  const { listSyncing } = overrides;
  return new StreamSupervisor({
    store: createSyncStore(monitored.db!),
    workerId: 'test-worker',
    findSyncing: async () => [],
    targetOf: async () => null,
    salesforceOf: () => null,
    exclusive: async () => false,
    requestRun: async () => {},
    session: { pollSeconds: 60, safetyNetSeconds: 900 },
    ...overrides,
    listSyncing: async () => {
      const listed = await listSyncing();
      counts.listings += 1;
      return listed;
    },
  });
}

describe('the stream supervisor with streaming off', () => {
  const orgs = 5;
  const refs = Array.from({ length: orgs }, (_, i) => ({ _id: new Types.ObjectId(), kind: 'salesforce-contacts', salesforce: { orgId: `00D00000000000${i}AAA` }, updatedAt: new Date() }) as SyncingIntegrationVersion);

  it("shows every org's stream as disabled, then reads no stream again until a minute has passed, and never reads an integration in full", async () => {
    let clock = Date.parse('2026-12-05T09:00:00Z');
    const counts = { listings: 0, fullReads: 0 };
    seen.reset();
    const off = supervisor(
      {
        enabled: false,
        listSyncing: async () => refs,
        findSyncing: async () => {
          counts.fullReads += 1;
          return [];
        },
        everyMs: 20,
        now: () => new Date(clock),
      },
      counts,
    );
    off.start();
    await until('five ticks', () => counts.listings >= 5);
    const store = createSyncStore(database.connection.db!);
    for (const ref of refs) {
      expect(await store.streams.get(streamKeyOfIntegration(ref)!)).toMatchObject({ mode: 'polling', reason: 'streaming_disabled', pollSeconds: 60 });
    }
    // Five ticks or more: the streams read once, in one find (`setMode` reads each stream it changes by `_id`, the first time only).
    expect(seen.streamFinds.filter((filter) => filter.includes('$in'))).toHaveLength(1);
    expect(counts.fullReads).toBe(0);

    // A minute on, each is read again, once.
    const finds = seen.streamFinds.length;
    const read = seen.streamDocuments;
    clock += 60_000;
    const listings = counts.listings;
    await until('five more ticks', () => counts.listings >= listings + 5);
    await off.stop();
    expect(seen.streamFinds.slice(finds)).toHaveLength(1);
    expect(seen.streamDocuments - read).toBe(orgs);
    expect(counts.fullReads).toBe(0);
  });

  // The interval itself, on a fake clock: only `setInterval` is faked (the database's I/O runs as usual).
  it.each([
    { streaming: 'off', enabled: false, everyMs: DISABLED_TICK_MS, expected: 15_000 },
    // With streaming on, a held lease (10 s) is renewed well before it expires.
    { streaming: 'on', enabled: true, everyMs: TICK_MS, expected: 3_000 },
  ])('with streaming $streaming, looks at the fleet every $expected ms (off: it holds no stream, and a new integration only waits a little longer to show it)', async ({ enabled, everyMs, expected }) => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const counts = { listings: 0, fullReads: 0 };
    const looking = supervisor({ enabled, listSyncing: async () => [] }, counts);
    looking.start();
    // The first tick at once, the next one interval later, and the one after another interval on.
    await until('the first tick', () => counts.listings === 1);
    await vi.advanceTimersByTimeAsync(everyMs - 1);
    await sleep(50);
    expect(counts.listings).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await until('the second tick', () => counts.listings === 2);
    await vi.advanceTimersByTimeAsync(everyMs);
    await until('the third tick', () => counts.listings === 3);
    await looking.stop();
    expect(everyMs).toBe(expected);
  });
});

describe('the stream supervisor with streaming on, at 120 integrations over 30 orgs', () => {
  const ORGS = 30;
  const PER_ORG = 4;
  const integrations = () => integrationRepository(monitored, secrets);
  /** The test's own writes, on a connection whose reads (a write's read-back) are not counted. */
  const unmonitored = () => integrationRepository(database.connection, secrets);

  /** The sessions the supervisors opened, by stream key (they subscribe to nothing). */
  const sessions = new Map<string, { ports: StreamPorts; stopped: boolean }>();
  const fakeSessions: Pick<StreamSupervisorOptions, 'openSession' | 'salesforceOf' | 'targetOf'> = {
    openSession: (ports) => {
      const session = { ports, stopped: false };
      sessions.set(ports.key, session);
      return { start: async () => {}, stop: async () => void (session.stopped = true) };
    },
    salesforceOf: () => ({}) as SalesforceConnectionHandle,
    // The target carries the document it was made of: what the session would apply changes with.
    targetOf: async (doc) => ({ integration: { id: doc._id.toHexString(), doc } }) as unknown as StreamTarget,
  };

  function worker(workerId: string, counts: { listings: number; fullReads: number }): StreamSupervisor {
    return supervisor(
      {
        enabled: true,
        workerId,
        everyMs: 25,
        leaseTtlMs: 60_000,
        listSyncing: () => integrations().listSyncingVersionsForWorker(),
        findSyncing: (ids) => {
          counts.fullReads += 1;
          return integrations().findSyncingForWorker(ids);
        },
        ...fakeSessions,
      },
      counts,
    );
  }

  it('reads an integration in full only when its stream is taken or it was written since; a worker holding none reads none, and no lease it cannot take', async () => {
    const Integration = integrationModel(database.connection);
    const docs = Array.from({ length: ORGS * PER_ORG }, (_, i) => wholeIntegrationOn(i % ORGS, Math.floor(i / ORGS), secrets));
    await Integration.insertMany(docs);
    const keys = [...new Set(docs.map((doc) => streamKeyOfIntegration(doc)!))];

    // The first worker takes every stream, reading each integration in full once.
    const counts = { listings: 0, fullReads: 0 };
    seen.reset();
    const first = worker('worker-first', counts);
    first.start();
    await until('every stream held', () => first.heldKeys().length === ORGS);
    expect(seen.fullIntegrations).toBe(ORGS * PER_ORG);

    // Ten ticks on: listings of references only, no integration read in full, no lease read (only the held ones renewed).
    // Ticks follow one another, each a listing then the renewals. The next listing to return after the reset may have
    // begun before it: the ticks counted are those after it, whole. The window also holds that tick's renewals, and
    // those of the tick before it that came after the reset.
    seen.reset();
    let listings = counts.listings;
    await until('the next listing', () => counts.listings >= listings + 1);
    listings = counts.listings;
    await until('ten more ticks', () => counts.listings >= listings + 10);
    const ticks = counts.listings - listings;
    expect(seen.fullIntegrations).toBe(0);
    expect(seen.integrationRefs).toBeGreaterThanOrEqual(10 * ORGS * PER_ORG);
    expect(seen.leaseDocuments).toBe(0);
    expect(seen.leaseWrites).toBeLessThanOrEqual((ticks + 2) * ORGS);

    // A second worker, all streams held by the first: no integration read in full, no lease taken or read after its first tick.
    const secondCounts = { listings: 0, fullReads: 0 };
    const second = worker('worker-second', secondCounts);
    second.start();
    await until("the second worker's first tick", () => secondCounts.listings >= 1);
    await until("the second worker's next ticks", () => secondCounts.listings >= 11);
    seen.reset();
    listings = secondCounts.listings;
    const firstListings = counts.listings;
    await until('ten more ticks of the second', () => secondCounts.listings >= listings + 10);
    // Only the first worker's renewals: one per held stream and tick.
    expect(seen.leaseWrites).toBeLessThanOrEqual((counts.listings - firstListings + 1) * ORGS);
    expect(seen.leaseDocuments).toBe(0);
    expect(seen.fullIntegrations).toBe(0);
    expect(second.heldKeys()).toEqual([]);

    // One integration written (its mapping edited): read again, once, and its stream's targets have the new mapping.
    const edited = docs[0]!;
    const editedKey = streamKeyOfIntegration(edited)!;
    seen.reset();
    await unmonitored().setMapping(edited.accountId, edited._id.toHexString(), { EMAIL: 'Email', CITY: 'MailingCity' });
    await until('the edit read', async () => {
      const targets = await sessions.get(editedKey)!.ports.targets();
      return targets.some((target) => (target.integration as unknown as { doc: IntegrationDoc }).doc.mappingEntries?.length === 2);
    });
    listings = counts.listings;
    await until('three more ticks', () => counts.listings >= listings + 3);
    expect(seen.fullIntegrations).toBe(1);

    // A new integration on a held stream: read once, a target of that stream.
    seen.reset();
    const joined = wholeIntegrationOn(7, 9, secrets);
    await Integration.create(joined);
    await until('the new integration a target', async () => (await sessions.get(keys[7]!)!.ports.targets()).some((target) => target.integration.id === joined._id.toHexString()));
    listings = counts.listings;
    await until('three more ticks', () => counts.listings >= listings + 3);
    expect(seen.fullIntegrations).toBe(1);

    // Paused: no longer a target; its stream's other integrations stay, none read again.
    seen.reset();
    await unmonitored().transition(joined.accountId, joined._id.toHexString(), [IntegrationStatus.Active], IntegrationStatus.Paused);
    await until('the paused integration gone', async () => !(await sessions.get(keys[7]!)!.ports.targets()).some((target) => target.integration.id === joined._id.toHexString()));
    expect((await sessions.get(keys[7]!)!.ports.targets()).length).toBe(PER_ORG);
    expect(seen.fullIntegrations).toBe(0);

    // The first worker stops (its streams released): the second takes every one over, reading each integration in full once.
    seen.reset();
    await first.stop();
    await until('every stream taken over', () => second.heldKeys().length === ORGS);
    await second.stop();
    expect(seen.fullIntegrations).toBe(ORGS * PER_ORG);
    expect([...sessions.keys()].sort()).toEqual(keys.sort());
  }, 60_000);
});
