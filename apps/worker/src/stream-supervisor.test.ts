import { createSyncStore, SYNC_STREAMS, streamKeyOfIntegration, type IntegrationDoc } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import mongoose, { Types, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamSupervisor } from './stream-supervisor.ts';

/**
 * Streaming off (`SYNC_STREAMING=off`, benchmark #7's setting): the supervisor
 * makes every stream show `streaming_disabled` at each tick (every 3 s). With
 * 500 orgs it read their streams one `_id` find each: 167 finds a second, 35%
 * of a worker's database commands in #7 (2026-12-05, 500 integrations).
 */
const database = useTestDatabase('worker_stream_supervisor');
let monitored: Connection;
const streamFinds: string[] = [];

beforeAll(async () => {
  monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
  monitored.getClient().on('commandStarted', (event) => {
    if (event.commandName === 'find' && event.command.find === SYNC_STREAMS) streamFinds.push(JSON.stringify(event.command.filter));
  });
});
afterAll(() => monitored?.close());

const orgs = 5;
const docs = Array.from({ length: orgs }, (_, i) => ({ _id: new Types.ObjectId(), kind: 'salesforce-contacts', salesforce: { orgId: `00D00000000000${i}AAA` } }) as unknown as IntegrationDoc);

/** One tick of a supervisor with streaming off (`start` ticks at once; `stop`, called once the tick has begun, waits for it). */
async function tickOnce(): Promise<void> {
  let begun!: () => void;
  const tickBegun = new Promise<void>((resolve) => (begun = resolve));
  const supervisor = new StreamSupervisor({
    store: createSyncStore(monitored.db!),
    workerId: 'test-worker',
    enabled: false,
    listSyncing: async () => {
      begun();
      return docs;
    },
    targetOf: async () => null,
    salesforceOf: () => null,
    exclusive: async () => false,
    requestRun: async () => {},
    session: { pollSeconds: 60, safetyNetSeconds: 900 },
    everyMs: 3_600_000,
  });
  supervisor.start();
  await tickBegun;
  await supervisor.stop();
}

describe('the stream supervisor with streaming off', () => {
  it("shows every org's stream as disabled, reading the streams in one find a tick, not one per org", async () => {
    await tickOnce();
    const store = createSyncStore(database.connection.db!);
    for (const doc of docs) {
      expect(await store.streams.get(streamKeyOfIntegration(doc)!)).toMatchObject({ mode: 'polling', reason: 'streaming_disabled', pollSeconds: 60 });
    }

    streamFinds.length = 0;
    await tickOnce();
    expect(streamFinds).toHaveLength(1);
  });
});
