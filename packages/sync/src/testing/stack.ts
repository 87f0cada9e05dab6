/**
 * What the database-outage tests share: a local database server of their own
 * (fixed port, own data directory: it can be stopped and started again as
 * the same server), the apps started as `npm start` starts them, and an
 * active integration written as the BFF leaves it after the wizard.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountRepository, connectStore, integrationModel, integrationRepository } from '@contact-sync/store';
import type { Connection } from 'mongoose';
import { findFreePort, startDevdb } from '../../../../tools/devdb/launch.mjs';
import type { IntegrationSnapshot } from '../integration.ts';
import { CONTACT_MAPPING, LEAD_MAPPING, startHarness, type Harness } from './harness.ts';

const appsDir = fileURLToPath(new URL('../../../../apps', import.meta.url));

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface OwnDatabase {
  /** `mongodb://127.0.0.1:<port>/<name>`, the same across restarts. */
  uri: string;
  stop(): Promise<void>;
  /** Starts the server again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

export async function startOwnDatabase(name: string): Promise<OwnDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const port = await findFreePort();
  let server = await startDevdb({ port, dataDir });
  return {
    uri: `${server.uri}${name}`,
    stop: () => server.stop(),
    async restart() {
      server = await startDevdb({ port, dataDir });
    },
    async dispose() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What an outage test runs an app process against: a database of its own (to
 * stop and restart), a connection to it with the sync store, and both
 * sandboxes. `stop` undoes all three.
 */
export async function startOutageHarness(name: string, brevoOptions?: Parameters<typeof startHarness>[1]) {
  const database = await startOwnDatabase(name);
  const connection = await connectStore(database.uri);
  const harness = await startHarness(connection.db!, brevoOptions);
  return {
    database,
    connection,
    harness,
    async stop() {
      await harness.stop();
      await connection.close();
      await database.dispose();
    },
  };
}

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  /** Still the process that was started (never exited). */
  alive(): boolean;
  kill(): Promise<void>;
}

/**
 * Where a test's processes send Brevo's webhooks when the test gives no receiver: a port nothing listens on.
 * The apps' default (localhost:4000) is the developer's own `npm start` BFF, which then logged refused
 * deliveries of integrations it never had.
 */
const NO_WEBHOOK_RECEIVER = 'http://127.0.0.1:9';

/**
 * Starts `apps/<name>` as `npm start` does (`node --import tsx src/main.ts`) with `env` and nothing else of this
 * process's environment (a worker gets no webhook receiver unless `env` names one), once it prints "ready on".
 */
export async function startAppProcess(name: 'bff' | 'worker', env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(appsDir, name),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(name === 'worker' ? { BFF_PUBLIC_URL: NO_WEBHOOK_RECEIVER } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitUntil(`${name} ready`, () => / ready on /.test(output) || child.exitCode !== null, 60_000);
  if (child.exitCode !== null) throw new Error(`${name} exited before it was ready:\n${output}`);
  return {
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** An active Contacts integration of `acc_demo` in the BFF's documents (tokens and key sealed with `secrets`), with a fresh Brevo list. */
export async function createActiveIntegration(
  connection: Connection,
  secrets: Parameters<typeof integrationRepository>[1],
  harness: Harness,
  name: string,
  kind: 'salesforce-contacts' | 'salesforce-leads' = 'salesforce-contacts',
): Promise<IntegrationSnapshot> {
  const mapping = kind === 'salesforce-contacts' ? CONTACT_MAPPING : LEAD_MAPPING;
  const accounts = accountRepository(connection, secrets);
  const integrations = integrationRepository(connection, secrets);
  await accounts.setBrevoKey('acc_demo', { apiKey: 'xkeysib-sandbox-demo', notificationEmail: 'marketing@acme.test' });
  const created = await integrations.create({ accountId: 'acc_demo', kind, name });
  const id = created._id.toHexString();
  await integrations.setSalesforceConnection(
    'acc_demo',
    id,
    { orgId: '00D000000000001AAA', userId: '005000000000001AAA', username: 'demo@acme.test', displayName: 'Dana Demo', instanceUrl: harness.conn.instanceUrl, accessToken: harness.conn.accessToken!, refreshToken: harness.conn.refreshToken! },
    new Date(),
  );
  const list = await harness.client.contacts.createList({ name, folderId: 1 });
  await integrationModel(connection).updateOne(
    { _id: created._id },
    { $set: { status: 'active', activatedAt: new Date(), list: { id: list.id, name }, mappingEntries: Object.entries(mapping).map(([attribute, field]) => ({ attribute, field })) } },
  );
  return { id, accountId: 'acc_demo', kind, status: 'active', mapping, listId: list.id, notificationEmail: 'marketing@acme.test' };
}
