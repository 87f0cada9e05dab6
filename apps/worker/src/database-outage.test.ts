import { quotaMonth } from '@contact-sync/rules';
import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDifferences, listMembers, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { createActiveIntegration, startAppProcess, startOutageHarness, waitUntil, type AppProcess, type OwnDatabase } from '../../../packages/sync/src/testing/stack.ts';

/**
 * The local database stops for 10 s while a worker process (as `npm start`
 * runs it) is in the middle of an initial load, then starts again on the same
 * port and data. The worker is never restarted.
 */
const OUTAGE_MS = 10_000;
/** Outages during the load (`npm run test:soak` runs more). */
const OUTAGES = Number(process.env.SOAK_DB_OUTAGES ?? 1);

let outage: Awaited<ReturnType<typeof startOutageHarness>>;
let database: OwnDatabase;
let connection: Connection;
let harness: Harness;
let worker: AppProcess;

beforeAll(async () => {
  outage = await startOutageHarness('worker_outage');
  ({ database, connection, harness } = outage);
  await generateContacts(1_000, 'past');
  worker = await startAppProcess('worker', {
    MONGODB_URI: database.uri,
    SYNC_INTERVAL_SECONDS: '15',
    BREVO_API_URL: harness.brevo.baseUrl,
    SALESFORCE_LOGIN_URL: harness.salesforce.url,
    LOG_LEVEL: 'warn',
  });
}, 120_000);

async function generateContacts(count: number, stamps: 'past' | 'now'): Promise<void> {
  const response = await fetch(`${harness.salesforce.url}/__sandbox/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ object: 'Contact', count, stamps }),
  });
  expect(response.ok).toBe(true);
}

afterAll(async () => {
  await worker?.kill();
  await outage?.stop();
});

describe('the database unavailable for 10 s during an initial load', () => {
  it('the worker recovers without restart: the load ends with the exact list, quota charged once, no run left running', async () => {
    const integration = await createActiveIntegration(connection, createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID), harness, 'Outage');
    // Each outage starts while Brevo holds its answer to a read-back after an import: the load has
    // written contacts to Brevo and not yet recorded their links (the window that must lose nothing).
    for (let outage = 1; outage <= OUTAGES; outage += 1) {
      // Later outages break a load of new records (the initial one is done by then).
      if (outage > 1) await generateContacts(300, 'now');
      const held = harness.brevo.faults.add({ pathPrefix: '/v3/contacts', method: 'GET', latencyMs: 3_000, times: 1 });
      await harness.store.state.requestSync(integration.id, new Date(), 'sync_now');
      await waitUntil('the load writing to Brevo', () => held.fired === 1, 60_000);
      await database.stop();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      expect(worker.alive(), worker.output()).toBe(true);
      await database.restart();
    }

    // Done when a run that started after the last outage has finished.
    const restartedAt = new Date();
    await waitUntil(
      'a run after the outage finished the load',
      async () => {
        const [last] = await harness.store.runs.list(integration.id, 1);
        return (await harness.store.state.get(integration.id)).initialLoadDone === true && last!.startedAt > restartedAt && last!.status !== 'running';
      },
      90_000,
    );
    expect(worker.alive(), worker.output()).toBe(true);
    const runs = await harness.store.runs.list(integration.id, 50);
    // The run the outage broke is closed (it could not record its end), the next one finished the load.
    expect(runs.filter((run) => run.status === 'running')).toEqual([]);
    expect(runs.some((run) => run.direction === 'salesforce_to_brevo' && run.status === 'succeeded' && run.counts.created > 0)).toBe(true);
    expect(await listDifferences(harness, integration)).toEqual([]);
    const members = await listMembers(harness.client, integration.listId);
    expect(members.length).toBeGreaterThan(1_000);
    expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(members.length);
  }, 60_000 + OUTAGES * 40_000);
});
