import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, createIntegration, engineDeps, startHarness, type Harness } from './testing/harness.ts';

/**
 * R14 names a Brevo contact by its Salesforce record's Id, and Ids repeat across orgs when one org was copied from
 * the other: a full-copy sandbox keeps its production org's Ids. Two integrations of one account, production and its
 * sandbox, must not sync two records into one contact.
 */
const database = useTestDatabase('sync_other_org_ids');
let harness: Harness;
let shared: string[];
const PRODUCTION_INTEGRATION = 'production-org-integration';

beforeAll(async () => {
  harness = await startHarness(database.connection.db!, { ...BREVO_LIMITS_OFF_FOR_API_CHECKS, seed: { contacts: 0 } });
  shared = (await harness.conn.query<{ Id: string }>("SELECT Id FROM Contact WHERE Email LIKE '%@%' ORDER BY Id LIMIT 3")).records.map((row) => row.Id);
});
afterAll(async () => {
  await harness.stop();
});

/** The production org's integration synced three records with our Ids first: contacts holding them as ext_id, linked there. */
async function productionContacts(): Promise<Map<string, number>> {
  const production = new Map<string, number>();
  for (const [index, salesforceId] of shared.entries()) {
    const created = await harness.client.contacts.createContact({ email: `production.${index}@example.test`, ext_id: salesforceId, attributes: { LASTNAME: 'Production', JOB_TITLE: 'Production title' } });
    if (created?.id === undefined) throw new Error('Brevo created no contact');
    production.set(salesforceId, created.id);
  }
  await harness.store.links.upsertMany(
    shared.map((salesforceId) => ({ integrationId: PRODUCTION_INTEGRATION, salesforceId, brevoId: production.get(salesforceId)!, values: { attributes: {} }, hash: 'h', lastWrittenAt: new Date() })),
  );
  return production;
}

describe('records whose Ids another org of the account syncs', () => {
  it('are record errors, and the other org’s contacts are left as they are', async () => {
    const sandboxOrg = await createIntegration(harness);
    const production = await productionContacts();
    const result = await syncSalesforceToBrevo(sandboxOrg, engineDeps(harness, { otherOrgIntegrations: async () => [PRODUCTION_INTEGRATION] }));
    expect(result.error).toBeUndefined();
    expect(result.counts.created).toBeGreaterThan(0);
    const errors = (await harness.store.errors.listForRun(result.runId!)).filter((error) => error.salesforceId !== null && shared.includes(error.salesforceId));
    expect(errors.map((error) => [error.salesforceId, error.code, error.rule, error.severity]).sort()).toEqual(shared.map((id) => [id, 'linked_other_org', 'R14', 'error']).sort());
    expect((await harness.store.links.findBySalesforceIds(sandboxOrg.id, shared)).size).toBe(0);
    for (const [salesforceId, brevoId] of production) {
      const contact = await harness.client.contacts.getContactInfo({ identifier: String(brevoId), identifierType: 'contact_id' as never });
      expect(contact).toMatchObject({ email: `production.${shared.indexOf(salesforceId)}@example.test`, attributes: { LASTNAME: 'Production', JOB_TITLE: 'Production title' } });
      expect(contact.listIds).not.toContain(sandboxOrg.listId);
    }
  });

  it('without another org, the same contacts are this integration’s own (an earlier run of it): adopted', async () => {
    const alone = await createIntegration(harness);
    const production = await productionContacts();
    const result = await syncSalesforceToBrevo(alone, engineDeps(harness));
    expect(result.error).toBeUndefined();
    const links = await harness.store.links.findBySalesforceIds(alone.id, shared);
    expect([...links.values()].map((link) => link.brevoId).sort()).toEqual([...production.values()].sort());
  });
});
