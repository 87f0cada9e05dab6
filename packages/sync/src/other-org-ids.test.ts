import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { previewIntegration } from './preview.ts';
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

/** The production org's contacts hold what it wrote, outside the sandbox org's list. */
async function expectUntouched(production: Map<string, number>, listId: number): Promise<void> {
  for (const [salesforceId, brevoId] of production) {
    const contact = await harness.client.contacts.getContactInfo({ identifier: String(brevoId), identifierType: 'contact_id' as never });
    expect(contact).toMatchObject({ email: `production.${shared.indexOf(salesforceId)}@example.test`, attributes: { LASTNAME: 'Production', JOB_TITLE: 'Production title' } });
    expect(contact.listIds).not.toContain(listId);
  }
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
    await expectUntouched(production, sandboxOrg.listId);
  });

  it('a link an import made (its contact known by ext_id only) is not resolved onto the other org’s contact; a link that knows its contact’s id syncs', async () => {
    const sandboxOrg = await createIntegration(harness);
    const production = await productionContacts();
    const ours = (await harness.client.contacts.createContact({ email: 'sandbox.own@example.test', attributes: { LASTNAME: 'Ours' } }))?.id;
    if (ours === undefined) throw new Error('Brevo created no contact');
    const [importMade, knownId] = shared;
    // Both stale (another hash): each record is an update, whose write would name its contact.
    await harness.store.links.upsertMany([
      { integrationId: sandboxOrg.id, salesforceId: importMade!, brevoId: null, values: { attributes: {} }, hash: 'stale', lastWrittenAt: new Date() },
      { integrationId: sandboxOrg.id, salesforceId: knownId!, brevoId: ours, values: { attributes: {} }, hash: 'stale', lastWrittenAt: new Date() },
    ]);
    const result = await syncSalesforceToBrevo(sandboxOrg, engineDeps(harness, { otherOrgIntegrations: async () => [PRODUCTION_INTEGRATION] }));
    expect(result.error).toBeUndefined();
    const errors = (await harness.store.errors.listForRun(result.runId!)).filter((error) => error.salesforceId !== null && shared.includes(error.salesforceId));
    expect(errors.map((error) => [error.salesforceId, error.code]).sort()).toEqual(shared.filter((id) => id !== knownId).map((id) => [id, 'linked_other_org']).sort());
    await expectUntouched(production, sandboxOrg.listId);
    const own = await harness.client.contacts.getContactInfo({ identifier: String(ours), identifierType: 'contact_id' as never });
    expect(own.listIds).toContain(sandboxOrg.listId);
    expect(own.attributes).not.toMatchObject({ LASTNAME: 'Ours' });
  });

  it('the preview counts them as the run then does: rejected (linked_other_org), not created', async () => {
    const sandboxOrg = await createIntegration(harness);
    await productionContacts();
    const otherOrgIntegrations = async () => [PRODUCTION_INTEGRATION];
    const preview = await previewIntegration(sandboxOrg, { salesforce: harness.conn, brevo: harness.client, store: harness.store, otherOrgIntegrations });
    expect(preview.rejectedByReason.linked_other_org).toBe(shared.length);
    expect(preview.samples.create.map((sample) => sample.salesforceId).filter((id) => shared.includes(id))).toEqual([]);

    const run = await syncSalesforceToBrevo(sandboxOrg, engineDeps(harness, { otherOrgIntegrations }));
    expect(run.end).toBe('completed');
    expect(run.counts.failed).toBe(0);
    expect(preview.counts).toEqual(run.counts);
    expect(preview.operations).toBe(run.operations);
    const runByCode: Record<string, number> = {};
    for (const error of await harness.store.errors.listForRun(run.runId!)) if (error.severity === 'error') runByCode[error.code] = (runByCode[error.code] ?? 0) + 1;
    expect(preview.rejectedByReason).toEqual(runByCode);
  });

  it('reads the other orgs’ integrations once a run and their links once a chunk, for that chunk’s Ids; nothing when nothing changed', async () => {
    const sandboxOrg = await createIntegration(harness);
    await productionContacts();
    const listed = vi.fn(async () => [PRODUCTION_INTEGRATION]);
    const reads = vi.spyOn(harness.store.links, 'linkedByAnyOf');
    const deps = engineDeps(harness, { otherOrgIntegrations: listed, options: { pageSize: 200, chunkSize: 200 } });
    try {
      const result = await syncSalesforceToBrevo(sandboxOrg, deps);
      expect(result.end).toBe('completed');
      // The seeded org's records, a few more than 200: two chunks, one read each, of as many Ids as the chunk has.
      expect(result.counts.read).toBeGreaterThan(200);
      expect(result.counts.read).toBeLessThanOrEqual(400);
      expect(reads.mock.calls.map(([integrations, ids]) => [integrations, ids.length])).toEqual([
        [[PRODUCTION_INTEGRATION], 200],
        [[PRODUCTION_INTEGRATION], result.counts.read - 200],
      ]);
      expect(listed).toHaveBeenCalledTimes(1);
      expect((await syncSalesforceToBrevo(sandboxOrg, deps)).counts.read).toBe(0);
      expect(listed).toHaveBeenCalledTimes(1);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
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
