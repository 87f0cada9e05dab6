/**
 * Measures one initial load and one incremental run end to end against both
 * sandboxes in-process (Brevo's documented rate limits on) and a fresh local
 * database: wall time, API calls per route, quota charged. Not a test; run with
 *   COUNT=100000 npx tsx packages/sync/src/testing/measure-initial-load.ts
 * (RSS includes both sandboxes, which hold the org and the Brevo account in memory.)
 * ENGINE_PROCESS=1: the initial load alone, run by the engine in a process of its
 * own (measure-engine-child.ts, Node flags from ENGINE_NODE_FLAGS), which prints its
 * memory after every chunk and its peak RSS: the engine's, without the sandboxes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startDevdb } from '../../../../tools/devdb/launch.mjs';
import { createSyncStore, ensureSyncIndexes } from '@contact-sync/store';
import { startSandbox as startBrevo } from '@contact-sync/sandbox-brevo';
import { login, startSandbox as startSalesforce } from '@contact-sync/sandbox-salesforce';
import { syncSalesforceToBrevo } from '../salesforce-to-brevo.ts';
import { ENGINE_CHILD_INPUT, type EngineChildInput } from './engine-child-input.ts';
import { CONTACT_MAPPING, MemoryStatuses } from './harness.ts';

const count = Number(process.env.COUNT ?? 100_000);
const dataDir = mkdtempSync(join(tmpdir(), 'measure-db-'));
const devdb = await startDevdb({ port: 0, dataDir });
const connection = await mongoose.createConnection(`${devdb.uri.replace(/\/$/, '')}/measure`).asPromise();
const store = createSyncStore(connection.db!);
await ensureSyncIndexes(store);
const salesforce = await startSalesforce({ seed: 'empty' });
const brevo = await startBrevo({ rateLimits: { enabled: process.env.RATE_LIMITS !== 'false' }, imports: { startDelayMs: 25 } });
await fetch(`${salesforce.url}/__sandbox/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'Contact', count, stamps: 'past' }) });
const conn = await login(salesforce.url);
const list = await brevo.client.contacts.createList({ name: 'measure', folderId: 1 });
const integration = { id: 'measure', accountId: 'acc_demo', kind: 'salesforce-contacts' as const, status: 'active' as const, mapping: CONTACT_MAPPING, listId: list.id, notificationEmail: null };
await store.quota.setLimit('measure', 10_000_000, 'measure', new Date());
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
let last = Date.now();
const timings: Record<string, number> = {};
const deps = {
  salesforce: conn,
  brevo: brevo.client,
  store,
  statuses: new MemoryStatuses(),
  checkpoint: (point: string) => {
    const now = Date.now();
    timings[point] = (timings[point] ?? 0) + now - last;
    last = now;
  },
  options: { onCall: (_api: string, label: string) => { const now = Date.now(); timings[`before ${label}`] = (timings[`before ${label}`] ?? 0) + now - last; last = now; } },
};

async function measure(label: string) {
  salesforce.calls.reset();
  brevo.calls.reset();
  const started = Date.now();
  last = started;
  for (const key of Object.keys(timings)) delete timings[key];
  const result = await syncSalesforceToBrevo(integration, deps);
  const ms = Date.now() - started;
  console.log(JSON.stringify({ label, ms, end: result.end, error: result.error, counts: result.counts, operations: result.operations, salesforceCalls: salesforce.calls.snapshot(), brevoCalls: brevo.calls.snapshot(), peakRssMb: Math.round(peakRss / 1e6), timings }, null, 1));
}

/** The initial load by the engine in a child process; resolves when it exits. */
async function measureInProcessOfItsOwn() {
  const input: EngineChildInput = { mongoUri: `${devdb.uri.replace(/\/$/, '')}/measure`, instanceUrl: conn.instanceUrl, accessToken: conn.accessToken!, brevoBaseUrl: brevo.baseUrl, apiKey: 'xkeysib-sandbox-demo', integration };
  const flags = (process.env.ENGINE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', new URL('./measure-engine-child.ts', import.meta.url).pathname], {
    env: { ...process.env, [ENGINE_CHILD_INPUT]: JSON.stringify(input) },
    stdio: 'inherit',
  });
  const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
  console.log(JSON.stringify({ exit: code, salesforceCalls: salesforce.calls.snapshot(), brevoCalls: brevo.calls.snapshot() }, null, 1));
}

if (process.env.ENGINE_PROCESS === '1') await measureInProcessOfItsOwn();
else {
  await measure(`initial load of ${count}`);
  const ids = (await conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Id LIMIT 1000')).records.map((r) => r.Id);
  for (let i = 0; i < ids.length; i += 200) await conn.sobject('Contact').update(ids.slice(i, i + 200).map((Id, j) => ({ Id, Title: `Changed ${i + j}` })));
  await measure('incremental with 1000 changes');
  await measure('incremental with 0 changes');
}
clearInterval(sampler);
await brevo.stop();
await salesforce.server.close();
await connection.close();
await devdb.stop();
rmSync(dataDir, { recursive: true, force: true });
