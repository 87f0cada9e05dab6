import { signHostToken } from '@contact-sync/api/host-token';
import { brevoCall } from '@contact-sync/brevo';
import { quotaMonth } from '@contact-sync/rules';
import { registerIntegrationWebhook, runIntegration, type IntegrationSnapshot } from '@contact-sync/sync';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SEALER, engineDeps, listDifferences, listMembers, type Harness } from '../../../packages/sync/src/testing/harness.ts';
import { createActiveIntegration, startAppProcess, startOutageHarness, waitUntil, type AppProcess, type OwnDatabase } from '../../../packages/sync/src/testing/stack.ts';
import { findFreePort } from '../../../tools/devdb/launch.mjs';
import { loadBffConfig } from './config.ts';
import { secretBoxFromEnv } from '@contact-sync/secrets';

/**
 * The local database stops for 10 s under a BFF process (as `npm start` runs
 * it) while Brevo sends it webhooks, then starts again on the same port and
 * data. The BFF is never restarted.
 */
const OUTAGE_MS = 10_000;
const EDITED_IN_BREVO = 5;

let outage: Awaited<ReturnType<typeof startOutageHarness>>;
let database: OwnDatabase;
let connection: Connection;
let harness: Harness;
let bff: AppProcess;
let bffUrl: string;
let integration: IntegrationSnapshot;

beforeAll(async () => {
  // Brevo redelivers after a 429 on this shorter schedule (its own: 10 min, 1 h, 2 h, 8 h).
  outage = await startOutageHarness('bff_outage', { webhookRetryDelaysMs: [1_000, 2_000, 4_000, 4_000, 4_000, 4_000, 4_000, 4_000] });
  ({ database, connection, harness } = outage);
  bffUrl = `http://127.0.0.1:${await findFreePort()}`;
  bff = await startAppProcess('bff', {
    MONGODB_URI: database.uri,
    BFF_PORT: new URL(bffUrl).port,
    BFF_PUBLIC_URL: bffUrl,
    SALESFORCE_LOGIN_URL: harness.salesforce.url,
    BREVO_API_URL: harness.brevo.baseUrl,
    DEMO_SEED: 'false',
    LOG_LEVEL: 'warn',
  });
  // Synced once, its webhook pointing at this BFF, the echoes of the initial load applied.
  const config = loadBffConfig({ MONGODB_URI: database.uri });
  integration = await createActiveIntegration(connection, secretBoxFromEnv(config.ENCRYPTION_KEYS, config.ENCRYPTION_KEY_ID), harness, 'Outage');
  await registerIntegrationWebhook(integration.id, { brevo: harness.client, store: harness.store, secrets: FAKE_SEALER, bffPublicUrl: bffUrl });
  expect((await runIntegration(integration, engineDeps(harness))).salesforceToBrevo?.end).toBe('completed');
  await harness.brevo.deliveries.idle();
  await runIntegration(integration, engineDeps(harness));
}, 120_000);

afterAll(async () => {
  await bff?.kill();
  await outage?.stop();
});

async function listIntegrations(): Promise<{ status: number; ms: number; body: unknown }> {
  const config = loadBffConfig({ MONGODB_URI: database.uri });
  const token = await signHostToken(
    { sub: 'user_1', accountId: 'acc_demo', plan: 'BrevoPlus', email: 'owner@acme.test', locale: 'en' },
    { secret: config.HOST_JWT_SECRET, issuer: config.HOST_JWT_ISSUER, audience: config.HOST_JWT_AUDIENCE },
  );
  const started = Date.now();
  const response = await fetch(`${bffUrl}/api/v1/integrations`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  return { status: response.status, ms: Date.now() - started, body: await response.json().catch(() => null) };
}

describe('the database unavailable for 10 s under the BFF', () => {
  it('answers 503 meanwhile and normally afterwards without restart; Brevo webhooks of the outage are redelivered, stored and applied', async () => {
    const members = await listMembers(harness.client, integration.listId);
    const edited = members.slice(0, EDITED_IN_BREVO);
    expect(await harness.store.events.countPending(integration.id)).toBe(0);
    harness.brevo.deliveries.clear();

    await database.stop();
    const stoppedAt = Date.now();
    // A clear 503 within the BFF's 5 s server selection, not a hang; /healthz needs no database.
    const during = await listIntegrations();
    expect(during.status, JSON.stringify(during.body)).toBe(503);
    expect(during.body).toMatchObject({ error: { code: 'service_unavailable' } });
    expect(during.ms).toBeLessThan(8_000);
    expect((await fetch(`${bffUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${bffUrl}/readyz`)).status).toBe(503);

    for (const member of edited) {
      // As a Brevo client does, a 429 (the account's calls a second, shared with the sync's) is waited out.
      const edit = { identifier: String(member.id), identifierType: 'contact_id' as const, attributes: { JOB_TITLE: `Edited during the outage ${member.id}` } };
      await brevoCall(() => harness.client.contacts.updateContact(edit), { idempotent: true });
    }
    // Each call (the webhook is batched: one or more events a call) answered so that Brevo delivers it again
    // (429 webhook_not_stored), none dropped.
    const attempted = () => harness.brevo.deliveries.deliveries().filter((d) => d.attempts.length > 0);
    await waitUntil('a first answer to every webhook of the outage', () => attempted().flatMap((d) => d.events).length >= EDITED_IN_BREVO, 30_000);
    const first = harness.brevo.deliveries.deliveries().map((d) => d.attempts[0]!);
    expect(first.map((attempt) => attempt.status), JSON.stringify(first)).toEqual(first.map(() => 429));
    expect(harness.brevo.deliveries.deliveries().every((d) => d.state === 'pending')).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
    expect(bff.alive(), bff.output()).toBe(true);
    await database.restart();

    await waitUntil('the BFF answering again', async () => (await listIntegrations()).status === 200, 30_000);
    await waitUntil('Brevo delivered every webhook again', () => harness.brevo.deliveries.deliveries().every((d) => d.state === 'delivered'), 30_000);
    expect(bff.alive(), bff.output()).toBe(true);
    expect(await harness.store.events.countPending(integration.id)).toBe(EDITED_IN_BREVO);

    // The next run (the worker's) applies them to Salesforce.
    const run = await runIntegration(integration, engineDeps(harness));
    expect(run.brevoToSalesforce).toMatchObject({ end: 'completed', operations: EDITED_IN_BREVO });
    const ids = edited.map((member) => String(member.attributes.EXT_ID));
    const titles = (await harness.conn.query<{ Id: string; Title: string | null }>(`SELECT Id, Title FROM Contact WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`)).records;
    expect(titles.map((record) => record.Title).sort()).toEqual(edited.map((member) => `Edited during the outage ${member.id}`).sort());
    expect(await listDifferences(harness, integration)).toEqual([]);
    expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(members.length + EDITED_IN_BREVO);
  }, 90_000);
});
