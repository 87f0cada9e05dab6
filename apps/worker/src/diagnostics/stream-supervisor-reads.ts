// What the stream supervisor (apps/worker/src/stream-supervisor.ts) reads with streaming on, per worker and minute,
// at a fleet of N integrations (4 per Salesforce org, each a whole document of about 1.5 kB: mapping, sealed tokens).
// Two workers, as two processes would run them: the first takes every stream, then the second starts beside it and
// holds none. Their sessions subscribe to nothing (no Salesforce) and ask for their targets every 2 s, as a session
// does (`catchUpCheckMs`), through the runner's own `streamTargetOf` (each integration's account has a Brevo key, its
// initial load is done). The supervisors' and the targets' commands are counted, from the driver's events on a
// connection of each worker.
//   node --import tsx apps/worker/src/diagnostics/stream-supervisor-reads.ts [--integrations 500] [--seconds 60]
// Run it under the benchmark lock (`flock /work/bench.lock …`): it starts a devdb of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SalesforceConnectionHandle } from '@contact-sync/salesforce';
import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { accountRepository, createSyncStore, integrationModel, integrationRepository } from '@contact-sync/store';
import { DEFAULT_STREAM_OPTIONS } from '@contact-sync/sync';
import mongoose, { type Connection } from 'mongoose';
import pino from 'pino';
import { loadWorkerConfig } from '../config.ts';
import { createIntegrationRunner } from '../integration-runner.ts';
import { StreamSupervisor } from '../stream-supervisor.ts';
import { wholeIntegrationOn } from '../testing/whole-integration.ts';
import { startDevdb } from '../../../../tools/devdb/launch.mjs';

const { values } = parseArgs({ options: { integrations: { type: 'string', default: '500' }, seconds: { type: 'string', default: '60' } } });
const integrations = Number(values.integrations);
const seconds = Number(values.seconds);
const PER_ORG = 4;
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);

/** Commands and documents returned, by collection, on one connection. */
class Counted {
  commands = new Map<string, number>();
  documents = new Map<string, number>();
  /** Integrations returned whole (with their mapping) rather than as references. */
  wholeIntegrations = 0;

  constructor(readonly connection: Connection) {
    const collectionOf = new Map<number, string>();
    const client = connection.getClient();
    client.on('commandStarted', (event) => {
      const collection = event.commandName === 'getMore' ? String(event.command.collection) : String(event.command[event.commandName] ?? '');
      collectionOf.set(event.requestId, collection);
      const key = `${event.commandName} ${collection}`;
      this.commands.set(key, (this.commands.get(key) ?? 0) + 1);
    });
    client.on('commandSucceeded', (event) => {
      const collection = collectionOf.get(event.requestId) ?? '?';
      collectionOf.delete(event.requestId);
      const reply = event.reply as { cursor?: { firstBatch?: Record<string, unknown>[]; nextBatch?: Record<string, unknown>[] }; value?: unknown };
      const batch = reply.cursor?.firstBatch ?? reply.cursor?.nextBatch ?? (reply.value ? [reply.value as Record<string, unknown>] : []);
      this.documents.set(collection, (this.documents.get(collection) ?? 0) + batch.length);
      if (collection === 'integrations') this.wholeIntegrations += batch.filter((doc) => 'mappingEntries' in doc).length;
    });
  }

  reset(): void {
    this.commands.clear();
    this.documents.clear();
    this.wholeIntegrations = 0;
  }

  perMinute(windowMs: number) {
    const scale = (n: number) => Math.round((n * 60_000) / windowMs);
    const total = (map: Map<string, number>) => [...map.values()].reduce((sum, n) => sum + n, 0);
    return {
      commands: scale(total(this.commands)),
      byCommand: Object.fromEntries([...this.commands].sort().map(([key, n]) => [key, scale(n)])),
      documentsRead: Object.fromEntries([...this.documents].sort().map(([key, n]) => [key, scale(n)])),
      wholeIntegrations: scale(this.wholeIntegrations),
    };
  }
}

function supervisorOn(connection: Connection, workerId: string, uri: string): StreamSupervisor {
  const repository = integrationRepository(connection, secrets);
  const store = createSyncStore(connection.db!);
  const runner = createIntegrationRunner({ connection, secrets, store, config: loadWorkerConfig({ MONGODB_URI: uri }), logger: pino({ level: 'silent' }) });
  const onError = (error: unknown, where: string) => console.error(where, error);
  return new StreamSupervisor({
    store,
    workerId,
    enabled: true,
    listSyncing: () => repository.listSyncingVersionsForWorker(),
    findSyncing: (ids) => repository.findSyncingForWorker(ids),
    targetOf: runner.streamTargetOf,
    accountVersions: runner.accountVersions,
    salesforceOf: () => ({ connection: {} }) as SalesforceConnectionHandle,
    exclusive: async () => false,
    requestRun: async () => {},
    session: { pollSeconds: 60, safetyNetSeconds: 900 },
    // A session's ask for its targets every 2 s (`checkNewTargets`), and nothing else.
    openSession: (ports) => {
      let asking: NodeJS.Timeout | undefined;
      return {
        start: async () => {
          asking = setInterval(() => void ports.targets().catch((error: unknown) => onError(error, 'targets')), DEFAULT_STREAM_OPTIONS.catchUpCheckMs);
        },
        stop: async () => clearInterval(asking),
      };
    },
    onError,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dataDir = mkdtempSync(join(tmpdir(), 'stream-supervisor-reads-'));
const devdb = await startDevdb({ port: 0, dataDir, log: () => {} });
try {
  const uri = `${devdb.uri.replace(/\/$/, '')}/supervisor_reads`;
  const setup = await mongoose.createConnection(uri).asPromise();
  const docs = Array.from({ length: integrations }, (_, i) => wholeIntegrationOn(i % (integrations / PER_ORG), Math.floor(i / (integrations / PER_ORG)), secrets));
  await integrationModel(setup).insertMany(docs);
  const accounts = accountRepository(setup, secrets);
  for (const accountId of new Set(docs.map((doc) => doc.accountId))) await accounts.setBrevoKey(accountId, { apiKey: `xkeysib-${accountId}`, notificationEmail: `notices@${accountId}.test` });
  const states = createSyncStore(setup.db!).state;
  for (const doc of docs) {
    await states.get(doc._id.toHexString());
    await states.markInitialLoadDone(doc._id.toHexString());
  }
  const first = new Counted(await mongoose.createConnection(uri, { monitorCommands: true }).asPromise());
  const second = new Counted(await mongoose.createConnection(uri, { monitorCommands: true }).asPromise());
  const a = supervisorOn(first.connection, 'worker-a', uri);
  a.start();
  while (a.heldKeys().length < integrations / PER_ORG) await sleep(100);
  const b = supervisorOn(second.connection, 'worker-b', uri);
  b.start();
  await sleep(5_000);
  first.reset();
  second.reset();
  const load = loadavg()[0]!.toFixed(2);
  const started = Date.now();
  await sleep(seconds * 1000);
  const windowMs = Date.now() - started;
  console.log(
    JSON.stringify(
      {
        at: new Date().toISOString(),
        integrations,
        streams: integrations / PER_ORG,
        seconds: windowMs / 1000,
        loadAverage: `${load} → ${loadavg()[0]!.toFixed(2)}`,
        holdingEveryStream: first.perMinute(windowMs),
        holdingNone: second.perMinute(windowMs),
        held: { first: a.heldKeys().length, second: b.heldKeys().length },
      },
      null,
      2,
    ),
  );
  await Promise.all([a.stop(), b.stop()]);
  await Promise.all([setup.close(), first.connection.close(), second.connection.close()]);
} finally {
  await devdb.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
