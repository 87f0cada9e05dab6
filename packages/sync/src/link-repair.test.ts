import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegration } from './run-integration.ts';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, CONTACT_MAPPING, createIntegration, engineDeps, listDifferences, listMembers, startHarness, type Harness } from './testing/harness.ts';

const database = useTestDatabase('sync_link_repair');
let harness: Harness;

beforeAll(async () => {
  // Set up and checked through Brevo's API between runs: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  harness = await startHarness(database.connection.db!, BREVO_LIMITS_OFF_FOR_API_CHECKS);
});
afterAll(async () => {
  await harness.stop();
});

describe('a saved mapping that feeds EXT_ID (R14)', () => {
  it('is repaired at the next run: the mapping loses EXT_ID, every damaged link is written back, nothing is charged for it', async () => {
    // As saved before the mapping refused it: EXT_ID fed from Department.
    const integration = await createIntegration(harness, { mapping: { ...CONTACT_MAPPING, EXT_ID: 'Department' } });
    const deps = engineDeps(harness);
    // The first load as it was before EXT_ID could be mapped (departments repeat: Brevo refuses a second contact
    // with one ext_id, so a load with this mapping links no contact that shares a department).
    await syncSalesforceToBrevo({ ...integration, mapping: CONTACT_MAPPING }, deps);
    // Each edit then overwrote the contact's link with the field's value: the damage the issue describes.
    const edited = (await harness.conn.query<{ Id: string }>("SELECT Id FROM Contact WHERE Email LIKE '%@example.com' ORDER BY Id LIMIT 5")).records;
    for (const [index, { Id }] of edited.entries()) {
      await harness.conn.sobject('Contact').update({ Id, Department: `Sales ${index}` });
    }
    await syncSalesforceToBrevo(integration, deps);
    const damaged = (await listMembers(harness.client, integration.listId)).filter((member) => String(member.attributes.EXT_ID).startsWith('Sales '));
    expect(damaged).toHaveLength(edited.length);
    const usedBefore = await harness.store.quota.used(integration.id, new Date().toISOString().slice(0, 7));

    const result = await runIntegration(integration, deps);
    expect(result.salesforceToBrevo?.end).toBe('completed');
    const { EXT_ID: _removed, ...repaired } = integration.mapping;
    expect(harness.statuses.repairedMappings.get(integration.id)).toEqual({ mapping: repaired, removed: ['EXT_ID'] });
    expect(await listDifferences(harness, integration)).toEqual([]);
    for (const { Id } of edited) expect((await harness.client.contacts.getContactInfo({ identifier: Id, identifierType: 'ext_id' })).attributes).toMatchObject({ EXT_ID: Id });
    expect(await harness.store.quota.used(integration.id, new Date().toISOString().slice(0, 7))).toBe(usedBefore);

    // Repaired once: the next run has nothing to repair and nothing to write.
    harness.statuses.repairedMappings.clear();
    const next = await runIntegration({ ...integration, mapping: repaired }, deps);
    expect(harness.statuses.repairedMappings.size).toBe(0);
    expect(next.salesforceToBrevo?.counts).toMatchObject({ created: 0, updated: 0 });
  });
});
