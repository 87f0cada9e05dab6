import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, engineDeps, startSyncedIntegration } from './testing/harness.ts';

// Brevo answers a batch update 207 Multi-Status when it updated only some of its contacts (the sandbox as
// Brevo's OpenAPI has it). The refused contact is a record error with its reason, never counted as written.
const database = useTestDatabase('sync_batch_refusals');
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;

beforeAll(async () => {
  // Checked through Brevo's API: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  synced = await startSyncedIntegration(database.connection.db!, {}, { brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS });
});
afterAll(async () => {
  await synced.stop();
});

describe('a batch update Brevo answers in part (207)', () => {
  it('the refused contact becomes an R15 record error; the rest of the batch is written and counted', async () => {
    const withEmail = synced.members.filter((member) => typeof member.email === 'string' && typeof member.attributes.EXT_ID === 'string');
    const [taker, holder, other] = withEmail;
    const { conn, client, store } = synced.harness;
    // One record takes an email another Brevo contact holds; another only changes its city.
    await conn.sobject('Contact').update({ Id: taker!.attributes.EXT_ID as string, Email: holder!.email! });
    await conn.sobject('Contact').update({ Id: other!.attributes.EXT_ID as string, MailingCity: 'Trieste' });
    synced.harness.brevo.calls.reset();

    const result = await syncSalesforceToBrevo(synced.integration, engineDeps(synced.harness));

    expect(synced.harness.brevo.calls.snapshot().byRoute['POST /contacts/batch']).toBeGreaterThanOrEqual(1);
    const errors = await store.errors.listForRun(result.runId!);
    expect(errors.find((error) => error.salesforceId === taker!.attributes.EXT_ID)).toMatchObject({ rule: 'R15', code: 'duplicate', severity: 'error' });
    expect(result.counts.updated).toBe(1);
    expect(result.operations).toBe(1);
    // Brevo holds what it holds: the holder keeps its email, the taker its own; the other contact has its city.
    expect((await client.contacts.getContactInfo({ identifier: String(holder!.id), identifierType: 'contact_id' })).email).toBe(holder!.email);
    expect((await client.contacts.getContactInfo({ identifier: String(taker!.id), identifierType: 'contact_id' })).email).toBe(taker!.email);
    expect((await client.contacts.getContactInfo({ identifier: String(other!.id), identifierType: 'contact_id' })).attributes).toMatchObject({ CITY: 'Trieste' });
  });
});
