import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY_NAME } from '@contact-sync/sandbox-brevo';
import { runIntegration } from './run-integration.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, engineDeps, startSyncedIntegration } from './testing/harness.ts';

// With the name of the account's Brevo key known (set by the operator with the key), Brevo's
// `api_key_name` tells the integration's own writes from everyone else's on arrival.
const database = useTestDatabase('sync_own_writes');
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;

beforeAll(async () => {
  // Checked through Brevo's API: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  synced = await startSyncedIntegration(database.connection.db!, { ownApiKeyName: DEFAULT_API_KEY_NAME }, { brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS });
});
afterAll(async () => {
  await synced.stop();
});

async function cityInSalesforce(id: string): Promise<string | null> {
  const result = await synced.harness.conn.query<{ MailingCity: string | null }>(`SELECT MailingCity FROM Contact WHERE Id = '${id}'`);
  return result.records[0]!.MailingCity;
}

/** A marketer's edit in Brevo's web app (the sandbox's contact form): its webhook's `api_key_name` is ''. */
async function editInWebApp(contactId: number, city: string): Promise<void> {
  const response = await fetch(`${synced.harness.brevo.url}/contacts/${contactId}?account=acc_demo`, { method: 'POST', body: new URLSearchParams({ attr_CITY: city }), redirect: 'manual' });
  expect(response.status).toBe(303);
  await synced.harness.brevo.deliveries.idle();
}

describe("the integration's own writes, known by the key's name", () => {
  it('are dropped on arrival: the initial load leaves nothing for Brevo → Salesforce to work through', async () => {
    expect(synced.members.length).toBeGreaterThan(10);
    expect(synced.receiver.answers.length).toBeGreaterThan(0);
    expect(synced.receiver.answers.every((status) => status === 200)).toBe(true);
    expect(synced.receiver.ownWrites()).toBeGreaterThanOrEqual(synced.members.length);
    expect(await synced.harness.store.events.countPending(synced.integration.id)).toBe(0);
  });

  it("a marketer's edit in Brevo is stored and applied to Salesforce", async () => {
    const member = synced.members[0]!;
    await editInWebApp(member.id, 'Lisbon');
    expect(await synced.harness.store.events.countPending(synced.integration.id)).toBe(1);
    const result = await runIntegration(synced.integration, engineDeps(synced.harness));
    expect(result.brevoToSalesforce).toMatchObject({ end: 'completed', operations: 1 });
    expect(await cityInSalesforce(member.attributes.EXT_ID as string)).toBe('Lisbon');
  });

  it("a change made through the API with the integration's own key counts as its own (the key should be the integration's alone)", async () => {
    const member = synced.members[1]!;
    const before = await cityInSalesforce(member.attributes.EXT_ID as string);
    const ownBefore = synced.receiver.ownWrites();
    await synced.harness.client.contacts.updateContact({ identifier: String(member.id), identifierType: 'contact_id', attributes: { CITY: 'Porto' } });
    await synced.harness.brevo.deliveries.idle();
    expect(synced.receiver.ownWrites()).toBe(ownBefore + 1);
    expect(await synced.harness.store.events.countPending(synced.integration.id)).toBe(0);
    await runIntegration(synced.integration, engineDeps(synced.harness));
    expect(await cityInSalesforce(member.attributes.EXT_ID as string)).toBe(before);
  });
});
