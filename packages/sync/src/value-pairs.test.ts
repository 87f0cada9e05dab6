import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationSnapshot } from './integration.ts';
import { runIntegration } from './run-integration.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, CONTACT_MAPPING, engineDeps, listMembers, startSyncedIntegration, type Harness } from './testing/harness.ts';

/**
 * Yes/No and picklist pairs against both sandboxes: a Salesforce checkbox ↔ a Brevo boolean, and the
 * restricted picklist Preferred_Channel__c ↔ the seeded Brevo category CHANNEL, whose options the
 * user paired by label (None has no option: never guessed; Post has no Salesforce value).
 */
const database = useTestDatabase('sync_value_pairs');
const CHANNEL_OPTIONS = [
  { value: 1, label: 'Email' },
  { value: 2, label: 'SMS' },
  { value: 3, label: 'Phone' },
  { value: 4, label: 'Post' },
];
const mappingSettings = {
  valuePairs: { CHANNEL: { Email: CHANNEL_OPTIONS[0]!, SMS: CHANNEL_OPTIONS[1]!, Phone: CHANNEL_OPTIONS[2]! } },
};
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;
let harness: Harness;
let integration: IntegrationSnapshot;

type Row = { Id: string; Preferred_Channel__c: string | null; Newsletter__c: boolean };

beforeAll(async () => {
  synced = await startSyncedIntegration(database.connection.db!, {}, {
    brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS,
    overrides: { mapping: { ...CONTACT_MAPPING, CHANNEL: 'Preferred_Channel__c', NEWSLETTER: 'Newsletter__c' }, mappingSettings },
  });
  const { attributes } = await synced.harness.client.contacts.getAttributes();
  expect(attributes.find((attribute) => attribute.name === 'CHANNEL')?.enumeration?.map(({ value, label }) => ({ value, label }))).toEqual(CHANNEL_OPTIONS);
  ({ harness, integration } = synced);
});
afterAll(async () => {
  await synced.stop();
});

async function salesforceRows(): Promise<Map<string, Row>> {
  const result = await harness.conn.query<Row>('SELECT Id, Preferred_Channel__c, Newsletter__c FROM Contact');
  return new Map(result.records.map((row) => [row.Id, row]));
}

describe('Yes/No and picklist ↔ category', () => {
  it('the first load writes each paired value as its Brevo option, each Yes/No as a boolean; an unpaired value is skipped with a record warning', async () => {
    const rows = await salesforceRows();
    const members = await listMembers(harness.client, integration.listId);
    expect(members.length).toBeGreaterThan(0);
    let unpaired = 0;
    for (const member of members) {
      const row = rows.get(member.attributes.EXT_ID as string)!;
      expect(member.attributes.NEWSLETTER ?? false).toBe(row.Newsletter__c);
      if (row.Preferred_Channel__c === 'None') {
        unpaired += 1;
        expect(member.attributes.CHANNEL).toBeUndefined();
      } else expect(member.attributes.CHANNEL ?? null).toBe(row.Preferred_Channel__c);
    }
    expect(unpaired).toBeGreaterThan(0);
    const warnings = (await harness.store.errors.listForIntegration(integration.id)).filter((error) => error.code === 'value_unpaired');
    expect(warnings).toHaveLength(unpaired);
    expect(warnings[0]).toMatchObject({ severity: 'warning', field: 'Preferred_Channel__c', params: { value: 'None', attribute: 'CHANNEL' } });
  });

  it('the echoes of those writes come back and cost nothing: no Salesforce write, no loop', async () => {
    await harness.brevo.deliveries.idle();
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce.counts.updated).toBe(0);
    expect(result.brevoToSalesforce.operations).toBe(0);
    expect(result.salesforceToBrevo?.operations ?? 0).toBe(0);
  });

  it('a Brevo edit of the option and of the Yes/No goes to Salesforce as the paired value; an unpaired option is not written, with a warning', async () => {
    const [first, second] = (await listMembers(harness.client, integration.listId)).filter((member) => member.attributes.CHANNEL !== undefined);
    const firstId = first!.attributes.EXT_ID as string;
    const secondId = second!.attributes.EXT_ID as string;
    const before = (await salesforceRows()).get(secondId)!;
    const newsletter = !(first!.attributes.NEWSLETTER ?? false);
    await harness.client.contacts.updateContact({ identifier: String(first!.id), identifierType: 'contact_id', attributes: { CHANNEL: 3, NEWSLETTER: newsletter } });
    // Post is a Brevo option no Salesforce value is paired with (and the picklist is restricted); Brevo sends back its label.
    await harness.client.contacts.updateContact({ identifier: String(second!.id), identifierType: 'contact_id', attributes: { CHANNEL: 4 } });
    await harness.brevo.deliveries.idle();

    const result = await runIntegration(integration, engineDeps(harness));
    const rows = await salesforceRows();
    expect(rows.get(firstId)).toMatchObject({ Preferred_Channel__c: 'Phone', Newsletter__c: newsletter });
    expect(rows.get(secondId)!.Preferred_Channel__c).toBe(before.Preferred_Channel__c);
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((issue) => issue.salesforceId === secondId)).toMatchObject({ code: 'value_unpaired', severity: 'warning', params: { value: 'Post' } });
    expect(issues.some((issue) => issue.code === 'invalid_input')).toBe(false);

    // The Salesforce write comes back as unchanged: nothing more goes to Brevo.
    const next = await runIntegration(integration, engineDeps(harness));
    expect(next.salesforceToBrevo?.operations ?? 0).toBe(0);
    expect(next.brevoToSalesforce.operations).toBe(0);
  });
});
