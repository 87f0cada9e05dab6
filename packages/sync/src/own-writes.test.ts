import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY_NAME } from '../../../apps/sandbox-brevo/src/app.ts';
import type { IntegrationSnapshot } from './integration.ts';
import { runIntegration } from './run-integration.ts';
import { FAKE_SEALER, createIntegration, engineDeps, listMembers, startHarness, startWebhookReceiver, type Harness } from './testing/harness.ts';
import { registerIntegrationWebhook } from './webhooks.ts';

// With the name of the account's Brevo key known (set by the operator with the key), Brevo's
// `api_key_name` tells the integration's own writes from everyone else's on arrival.
const database = useTestDatabase('sync_own_writes');
let harness: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let integration: IntegrationSnapshot;
let members: Awaited<ReturnType<typeof listMembers>>;

beforeAll(async () => {
  harness = await startHarness(database.connection.db!, { webhooks: { batchWindowMs: 20 } });
  receiver = await startWebhookReceiver(harness.store, { ownApiKeyName: DEFAULT_API_KEY_NAME });
  integration = await createIntegration(harness);
  await registerIntegrationWebhook(integration.id, { brevo: harness.client, store: harness.store, secrets: FAKE_SEALER, bffPublicUrl: receiver.url });
  await runIntegration(integration, engineDeps(harness));
  members = await listMembers(harness.client, integration.listId);
  await harness.brevo.deliveries.idle();
});
afterAll(async () => {
  await receiver.close();
  await harness.stop();
});

async function cityInSalesforce(id: string): Promise<string | null> {
  const result = await harness.conn.query<{ MailingCity: string | null }>(`SELECT MailingCity FROM Contact WHERE Id = '${id}'`);
  return result.records[0]!.MailingCity;
}

/** A marketer's edit in Brevo's web app (the sandbox's contact form): its webhook's `api_key_name` is ''. */
async function editInWebApp(contactId: number, city: string): Promise<void> {
  const response = await fetch(`${harness.brevo.url}/contacts/${contactId}?account=acc_demo`, { method: 'POST', body: new URLSearchParams({ attr_CITY: city }), redirect: 'manual' });
  expect(response.status).toBe(303);
  await harness.brevo.deliveries.idle();
}

describe("the integration's own writes, known by the key's name", () => {
  it('are dropped on arrival: the initial load leaves nothing for Brevo → Salesforce to work through', async () => {
    expect(members.length).toBeGreaterThan(10);
    expect(receiver.answers.length).toBeGreaterThan(0);
    expect(receiver.answers.every((status) => status === 200)).toBe(true);
    expect(receiver.ownWrites()).toBeGreaterThanOrEqual(members.length);
    expect(await harness.store.events.countPending(integration.id)).toBe(0);
  });

  it("a marketer's edit in Brevo is stored and applied to Salesforce", async () => {
    const member = members[0]!;
    await editInWebApp(member.id, 'Lisbon');
    expect(await harness.store.events.countPending(integration.id)).toBe(1);
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce).toMatchObject({ end: 'completed', operations: 1 });
    expect(await cityInSalesforce(member.attributes.EXT_ID as string)).toBe('Lisbon');
  });

  it("a change made through the API with the integration's own key counts as its own (the key should be the integration's alone)", async () => {
    const member = members[1]!;
    const before = await cityInSalesforce(member.attributes.EXT_ID as string);
    const ownBefore = receiver.ownWrites();
    await harness.client.contacts.updateContact({ identifier: String(member.id), identifierType: 'contact_id', attributes: { CITY: 'Porto' } });
    await harness.brevo.deliveries.idle();
    expect(receiver.ownWrites()).toBe(ownBefore + 1);
    expect(await harness.store.events.countPending(integration.id)).toBe(0);
    await runIntegration(integration, engineDeps(harness));
    expect(await cityInSalesforce(member.attributes.EXT_ID as string)).toBe(before);
  });
});
