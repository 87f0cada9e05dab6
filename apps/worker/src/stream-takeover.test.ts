import { createSecretBox, DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS, parseEncryptionKeys } from '@contact-sync/secrets';
import { streamKeyOf } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDifferences, listMembers, startHarness, startWebhookReceiver, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { createActiveIntegration, startAppProcess, waitUntil, type AppProcess } from '../../../packages/sync/src/testing/stack.ts';
import { brevoTitles, editTitle, quotaUsed } from '../../../packages/sync/src/testing/stream.ts';

/**
 * Two worker processes, as `npm start` runs them, share an integration's
 * Change Data Capture stream: one holds it. SIGKILLed in the middle of a
 * burst of edits, the other takes the stream over (within 30 s) and resumes
 * from the stored replayId: every edit reaches Brevo once, quota once.
 */
const database = useTestDatabase('worker_stream_takeover');
const secrets = createSecretBox(parseEncryptionKeys(DEV_ENCRYPTION_KEYS), DEV_ENCRYPTION_KEY_ID);
let harness: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const workers: AppProcess[] = [];

beforeAll(async () => {
  harness = await startHarness(database.connection.db!);
  receiver = await startWebhookReceiver(harness.store);
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await receiver?.close();
  await harness?.stop();
});

describe('the worker holding a stream is SIGKILLed', () => {
  it('another worker takes the stream over within 30 s; every edit reaches Brevo once, quota once', async () => {
    const integration = await createActiveIntegration(database.connection, secrets, harness, 'Takeover');
    const env = {
      MONGODB_URI: database.uri,
      SYNC_INTERVAL_SECONDS: '15',
      BREVO_API_URL: harness.brevo.baseUrl,
      SALESFORCE_LOGIN_URL: harness.salesforce.url,
      BFF_PUBLIC_URL: receiver.url,
      LOG_LEVEL: 'warn',
    };
    workers.push(await startAppProcess('worker', env), await startAppProcess('worker', env));
    await harness.store.state.requestSync(integration.id, new Date(), 'stream_catch_up');
    const key = streamKeyOf('00D000000000001AAA', 'Contact');
    await waitUntil('the initial load, then the stream in real time', async () => (await harness.store.streams.get(key))?.mode === 'realtime', 90_000);

    const ids = (await listMembers(harness.client, integration.listId)).map((member) => String(member.attributes.EXT_ID)).sort().reverse().slice(0, 20);
    const titles = ids.map((_, i) => `Takeover ${i}`);
    const quotaBefore = await quotaUsed(harness, integration);
    for (let i = 0; i < 10; i += 1) await editTitle(harness, ids[i]!, titles[i]!);

    const holderId = (await harness.store.streamLeases.holder(key, new Date()))!;
    const holder = workers.find((worker) => holderId.includes(`:${worker.child.pid}:`))!;
    const survivor = workers.find((worker) => worker !== holder)!;
    expect(holder).toBeDefined();
    await holder.kill();
    const killedAt = Date.now();
    for (let i = 10; i < ids.length; i += 1) await editTitle(harness, ids[i]!, titles[i]!);

    await waitUntil('the other worker holding the stream', async () => (await harness.store.streamLeases.holder(key, new Date()))?.includes(`:${survivor.child.pid}:`) === true, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    await waitUntil('every edit in Brevo', async () => (await brevoTitles(harness, ids)).every((title, i) => title === titles[i]), 60_000);
    expect(survivor.alive(), survivor.output()).toBe(true);
    // Settled: the recurring runs may still come, and must write nothing.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await quotaUsed(harness, integration)).toBe(quotaBefore + ids.length);
    expect(await listDifferences(harness, integration)).toEqual([]);
  }, 180_000);
});
