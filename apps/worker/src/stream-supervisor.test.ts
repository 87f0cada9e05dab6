import { createSyncStore, SYNC_STREAMS, streamKeyOfIntegration, type IntegrationDoc } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import mongoose, { Types, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamSupervisor } from './stream-supervisor.ts';

/**
 * Streaming off (`SYNC_STREAMING=off`, benchmark #7's setting): the supervisor
 * makes every stream show `streaming_disabled`, looking at each tick (every
 * 3 s). With 500 orgs it read their streams one `_id` find each: 167 finds a
 * second, 35% of a worker's database commands in #7 (2026-12-05, 500
 * integrations). Then one find a tick, but of every stream, after a listing of
 * every integration in full: at 2,000 integrations 2,000 documents of each
 * every 3 s, which grew the worker's CPU per run with the fleet.
 */
const database = useTestDatabase('worker_stream_supervisor');
let monitored: Connection;
const streamFinds: string[] = [];
/** Stream documents the finds returned (their replies' batches). */
let streamDocumentsRead = 0;

beforeAll(async () => {
  monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
  monitored.getClient().on('commandStarted', (event) => {
    if (event.commandName === 'find' && event.command.find === SYNC_STREAMS) streamFinds.push(JSON.stringify(event.command.filter));
  });
  monitored.getClient().on('commandSucceeded', (event) => {
    const batch = (event.reply as { cursor?: { firstBatch?: unknown[] } }).cursor?.firstBatch;
    if (event.commandName === 'find' && batch && batch.length > 0 && (batch[0] as { _id?: unknown })._id?.toString().includes(':Contact')) streamDocumentsRead += batch.length;
  });
});
afterAll(() => monitored?.close());

const orgs = 5;
const docs = Array.from({ length: orgs }, (_, i) => ({ _id: new Types.ObjectId(), kind: 'salesforce-contacts', salesforce: { orgId: `00D00000000000${i}AAA` } }) as unknown as IntegrationDoc);

/** A supervisor with streaming off, ticking every `everyMs`; `fullListings` counts the listings of whole documents it made. */
function supervisorOff(everyMs: number | undefined, now: () => Date, listed: { refs: number; fullListings: number }): StreamSupervisor {
  return new StreamSupervisor({
    store: createSyncStore(monitored.db!),
    workerId: 'test-worker',
    enabled: false,
    listSyncing: async () => {
      listed.fullListings += 1;
      return docs;
    },
    listSyncingRefs: async () => {
      listed.refs += 1;
      return docs;
    },
    targetOf: async () => null,
    salesforceOf: () => null,
    exclusive: async () => false,
    requestRun: async () => {},
    session: { pollSeconds: 60, safetyNetSeconds: 900 },
    ...(everyMs !== undefined ? { everyMs } : {}),
    now,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the stream supervisor with streaming off', () => {
  it("shows every org's stream as disabled, then reads no stream again until a minute has passed, and never lists integrations in full", async () => {
    let clock = Date.parse('2026-12-05T09:00:00Z');
    const listed = { refs: 0, fullListings: 0 };
    streamFinds.length = 0;
    streamDocumentsRead = 0;
    const supervisor = supervisorOff(20, () => new Date(clock), listed);
    supervisor.start();
    while (listed.refs < 5) await sleep(10);
    const store = createSyncStore(database.connection.db!);
    for (const doc of docs) {
      expect(await store.streams.get(streamKeyOfIntegration(doc)!)).toMatchObject({ mode: 'polling', reason: 'streaming_disabled', pollSeconds: 60 });
    }
    // Five ticks or more: the streams read once, in one find (`setMode` reads each stream it changes by `_id`, the first time only).
    expect(streamFinds.filter((filter) => filter.includes('$in'))).toHaveLength(1);
    expect(listed.fullListings).toBe(0);

    // A minute on, each is read again, once.
    const finds = streamFinds.length;
    const read = streamDocumentsRead;
    clock += 60_000;
    const refs = listed.refs;
    while (listed.refs < refs + 5) await sleep(10);
    await supervisor.stop();
    expect(streamFinds.slice(finds)).toHaveLength(1);
    expect(streamDocumentsRead - read).toBe(orgs);
  });

  it('looks at the fleet every 15 s, not every 3 s: it holds no stream, and a new integration only waits a little longer to show it', async () => {
    const listed = { refs: 0, fullListings: 0 };
    const supervisor = supervisorOff(undefined, () => new Date(), listed);
    supervisor.start();
    await sleep(3_500);
    await supervisor.stop();
    expect(listed).toEqual({ refs: 1, fullListings: 0 });
  });
});
