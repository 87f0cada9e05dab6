import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationSnapshot } from './integration.ts';
import { previewIntegration } from './preview.ts';
import { runIntegration } from './run-integration.ts';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, CONTACT_MAPPING, engineDeps, listMembers, startSyncedIntegration, type Harness } from './testing/harness.ts';

/**
 * Multi-select picklist ↔ multiple-choice against both sandboxes: the restricted Interests__c ↔ the seeded
 * Brevo INTERESTS, whose options the user paired by label (Offers has no option: never guessed; Workshops
 * has no Salesforce value). The paired values are written, each unpaired one is a record warning.
 */
const database = useTestDatabase('sync_multi_choice');
const PAIRED = ['Newsletter', 'Events', 'Product Updates', 'Webinars'];
const mappingSettings = { valuePairs: { INTERESTS: Object.fromEntries(PAIRED.map((value) => [value, { label: value }])) } };
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;
let harness: Harness;
let integration: IntegrationSnapshot;

type Row = { Id: string; Interests__c: string | null };

beforeAll(async () => {
  synced = await startSyncedIntegration(database.connection.db!, {}, {
    brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS,
    overrides: { mapping: { ...CONTACT_MAPPING, INTERESTS: 'Interests__c' }, mappingSettings },
  });
  ({ harness, integration } = synced);
});
afterAll(async () => {
  await synced.stop();
});

async function salesforceRows(): Promise<Map<string, Row>> {
  const result = await harness.conn.query<Row>('SELECT Id, Interests__c FROM Contact ORDER BY Id');
  return new Map(result.records.map((row) => [row.Id, row]));
}

async function memberOf(salesforceId: string) {
  return (await listMembers(harness.client, integration.listId)).find((member) => member.attributes.EXT_ID === salesforceId)!;
}

async function runSettled() {
  await harness.brevo.deliveries.idle();
  return runIntegration(integration, engineDeps(harness));
}

describe('multi-select picklist ↔ multiple-choice', () => {
  it('the first load writes each record’s paired values as the option labels; an unpaired value is left out with a record warning', async () => {
    const rows = await salesforceRows();
    const members = await listMembers(harness.client, integration.listId);
    expect(members.length).toBeGreaterThan(0);
    let unpaired = 0;
    let several = 0;
    for (const member of members) {
      const values = (rows.get(member.attributes.EXT_ID as string)!.Interests__c ?? '').split(';').filter(Boolean);
      const paired = values.filter((value) => PAIRED.includes(value));
      if (values.includes('Offers')) unpaired += 1;
      if (paired.length > 1) several += 1;
      if (paired.length === 0) expect(member.attributes.INTERESTS).toBeUndefined();
      else expect([...(member.attributes.INTERESTS as string[])].sort()).toEqual([...paired].sort());
    }
    expect(unpaired).toBeGreaterThan(0);
    expect(several).toBeGreaterThan(0);
    const warnings = (await harness.store.errors.listForIntegration(integration.id)).filter((error) => error.code === 'value_unpaired');
    expect(warnings).toHaveLength(unpaired);
    expect(warnings[0]).toMatchObject({ severity: 'warning', field: 'Interests__c', params: { value: 'Offers', attribute: 'INTERESTS' } });
  });

  it('the echoes of those writes come back and cost nothing: no Salesforce write, no loop', async () => {
    const result = await runSettled();
    expect(result.brevoToSalesforce.counts.updated).toBe(0);
    expect(result.brevoToSalesforce.operations).toBe(0);
    expect(result.salesforceToBrevo?.operations ?? 0).toBe(0);
  });

  it('a Brevo edit goes to Salesforce as the paired values in picklist order, keeping the value Brevo cannot hold; an unpaired option is not written, with a warning', async () => {
    const [first, second] = [...(await salesforceRows()).values()];
    // Salesforce → Brevo: Offers is left out, Newsletter goes.
    await harness.conn.sobject('Contact').update({ Id: first!.Id, Interests__c: 'Newsletter;Offers' });
    await harness.conn.sobject('Contact').update({ Id: second!.Id, Interests__c: 'Events' });
    await runSettled();
    expect((await memberOf(first!.Id)).attributes.INTERESTS).toEqual(['Newsletter']);
    expect((await memberOf(second!.Id)).attributes.INTERESTS).toEqual(['Events']);
    await runSettled();

    const firstMember = await memberOf(first!.Id);
    const secondMember = await memberOf(second!.Id);
    await harness.client.contacts.updateContact({ identifier: String(firstMember.id), identifierType: 'contact_id', attributes: { INTERESTS: ['Webinars', 'Events'] } });
    // Workshops is a Brevo option no Salesforce value is paired with (and Interests__c is restricted).
    await harness.client.contacts.updateContact({ identifier: String(secondMember.id), identifierType: 'contact_id', attributes: { INTERESTS: ['Workshops', 'Product Updates'] } });
    const result = await runSettled();

    const rows = await salesforceRows();
    expect(rows.get(first!.Id)!.Interests__c).toBe('Events;Webinars;Offers');
    expect(rows.get(second!.Id)!.Interests__c).toBe('Product Updates');
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((issue) => issue.salesforceId === second!.Id)).toMatchObject({ code: 'value_unpaired', severity: 'warning', params: { value: 'Workshops', attribute: 'INTERESTS' } });
    expect(issues.some((issue) => issue.code === 'salesforce_rejected' || issue.code === 'invalid_input')).toBe(false);

    // The Salesforce writes come back as unchanged: nothing more goes either way.
    const next = await runSettled();
    expect(next.salesforceToBrevo?.operations ?? 0).toBe(0);
    expect(next.brevoToSalesforce.operations).toBe(0);
  });

  it('the preview counts what the run then does: a new choice as an update, the same choices in another order as unchanged', async () => {
    const [first, second] = [...(await salesforceRows()).values()];
    // Brevo holds Events and Webinars for the first (the test above): the same values, reordered.
    await harness.conn.sobject('Contact').update({ Id: first!.Id, Interests__c: 'Offers;Webinars;Events' });
    await harness.conn.sobject('Contact').update({ Id: second!.Id, Interests__c: 'Newsletter;Product Updates' });
    await harness.brevo.deliveries.idle();

    const preview = await previewIntegration(integration, { salesforce: harness.conn, brevo: harness.client, store: harness.store });
    const run = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(preview.counts).toEqual(run.counts);
    expect(preview.operations).toBe(run.operations);
    expect(run.counts).toMatchObject({ updated: 1, skippedUnchanged: 1 });
    expect((await memberOf(second!.Id)).attributes.INTERESTS).toEqual(['Newsletter', 'Product Updates']);
  });
});
