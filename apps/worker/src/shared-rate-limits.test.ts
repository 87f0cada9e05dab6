import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, startWebhookReceiver, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { createActiveIntegration, startAppProcess, waitUntil, type AppProcess } from '../../../packages/sync/src/testing/stack.ts';
import { brevoTitles } from '../../../packages/sync/src/testing/stream.ts';

/**
 * Brevo's rate limits belong to the account: two integrations of one account (its Contacts and its
 * Leads, 3,000 more of each generated), run by two worker processes at the same time, together stay
 * under the sandbox's limits (on by default, as Brevo's). Each integration's run after an edit of
 * every record writes about 30 batches of 100. On this 2-core machine one worker makes 4–8 of those a
 * second, so two together stay under Brevo's 10 a second even when each paces only itself: the
 * account's /contacts limit is set to 3 a second (in the sandbox and in the workers), under what each
 * worker alone would send. Paced per process, the two earned 429s; sharing the account's window, none.
 */
const CONTACTS_PER_SECOND = 3;
const database = useTestDatabase('worker_shared_rate_limits');
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);
const GENERATED = 3_000;
let harness: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const workers: AppProcess[] = [];

beforeAll(async () => {
  harness = await startHarness(database.connection.db!, { rateLimits: { overrides: { contacts: [{ limit: CONTACTS_PER_SECOND, seconds: 1 }] } } });
  receiver = await startWebhookReceiver(harness.store);
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await receiver?.close();
  await harness?.stop();
});

async function generate(object: 'Contact' | 'Lead', count: number): Promise<void> {
  const response = await fetch(`${harness.salesforce.url}/__sandbox/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object, count, stamps: 'past' }) });
  expect(response.status).toBe(201);
}

async function recordsOf(object: 'Contact' | 'Lead'): Promise<{ Id: string; Title: string | null }[]> {
  const records: { Id: string; Title: string | null }[] = [];
  let result = await harness.conn.query<{ Id: string; Title: string | null }>(`SELECT Id, Title FROM ${object}`);
  for (;;) {
    records.push(...result.records);
    if (result.done || !result.nextRecordsUrl) return records;
    result = await harness.conn.queryMore<{ Id: string; Title: string | null }>(result.nextRecordsUrl);
  }
}

async function idsOf(object: 'Contact' | 'Lead'): Promise<string[]> {
  return (await recordsOf(object)).map((record) => record.Id);
}

describe('two integrations of one Brevo account on two workers', () => {
  it('stay together under the account\'s calls a second on /contacts: no 429', async () => {
    await generate('Contact', GENERATED);
    await generate('Lead', GENERATED);
    const contacts = await createActiveIntegration(database.connection, secrets, harness, 'Shared limits: contacts');
    const leads = await createActiveIntegration(database.connection, secrets, harness, 'Shared limits: leads', 'salesforce-leads');
    const env = {
      MONGODB_URI: database.uri,
      SYNC_INTERVAL_SECONDS: '600',
      SYNC_STREAMING: 'off',
      BREVO_API_URL: harness.brevo.baseUrl,
      SALESFORCE_LOGIN_URL: harness.salesforce.url,
      BFF_PUBLIC_URL: receiver.url,
      WORKER_CONCURRENCY: '1',
      BREVO_CONTACTS_PER_SECOND: String(CONTACTS_PER_SECOND),
      LOG_LEVEL: 'warn',
    };
    workers.push(await startAppProcess('worker', env), await startAppProcess('worker', env));
    harness.brevo.calls.reset();

    // The initial loads, at once.
    for (const integration of [contacts, leads]) await harness.store.state.requestSync(integration.id, new Date(), 'activation');
    await waitUntil('both initial loads', async () => (await Promise.all([contacts, leads].map(async (i) => (await harness.store.state.get(i.id)).initialLoadDone))).every(Boolean), 120_000);

    // Every record edited, then both runs at once: 2 × 30 batches of 100.
    const edited = { Contact: await idsOf('Contact'), Lead: await idsOf('Lead') };
    for (const object of ['Contact', 'Lead'] as const) {
      for (let i = 0; i < edited[object].length; i += 200) {
        const results = await harness.conn.sobject(object).update(edited[object].slice(i, i + 200).map((Id) => ({ Id, Title: `Paced ${Id}` })), { allOrNone: true });
        expect(results.every((result) => result.success)).toBe(true);
      }
    }
    const batchesBefore = harness.brevo.calls.snapshot().byRoute['POST /contacts/batch'] ?? 0;
    const started = Date.now();
    for (const integration of [contacts, leads]) await harness.store.state.requestSync(integration.id, new Date(), 'sync_now');
    // The records the initial loads wrote (a generated record the rules refuse is not in Brevo).
    const everyId = [...edited.Contact, ...edited.Lead];
    const titlesBefore = await brevoTitles(harness, everyId);
    const all = everyId.filter((_, i) => titlesBefore[i] !== undefined);
    expect(all.length).toBeGreaterThan(2 * GENERATED * 0.9);
    await waitUntil('every edit in Brevo', async () => (await brevoTitles(harness, all)).every((title, i) => title === `Paced ${all[i]}`), 120_000);
    const seconds = (Date.now() - started) / 1000;
    // And still in Salesforce: an event of the initial load's imports applied after the edit's write once took 923 leads back.
    const titles = new Map<string, string | null>();
    for (const object of ['Contact', 'Lead'] as const) for (const record of await recordsOf(object)) titles.set(record.Id, record.Title);
    expect(everyId.filter((id) => titles.get(id) !== `Paced ${id}`)).toEqual([]);

    const calls = harness.brevo.calls.snapshot();
    const batches = (calls.byRoute['POST /contacts/batch'] ?? 0) - batchesBefore;
    expect(batches, JSON.stringify(calls)).toBeGreaterThanOrEqual(Math.floor(all.length / 100));
    // Paced by the two together.
    expect(seconds).toBeGreaterThanOrEqual(batches / CONTACTS_PER_SECOND - 2);
    expect(calls.byStatus['429'] ?? 0, JSON.stringify(calls)).toBe(0);
    for (const worker of workers) expect(worker.alive(), worker.output()).toBe(true);
  }, 300_000);
});
