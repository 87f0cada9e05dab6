import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegration } from './run-integration.ts';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, createIntegration, engineDeps, FAKE_SEALER, listMembers, startHarness, startWebhookReceiver, type Harness } from './testing/harness.ts';
import { registerIntegrationWebhook } from './webhooks.ts';

const database = useTestDatabase('sync_import_outcome');
let harness: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const GENERATED = 2_400;
const CHUNK = 1_000;
/** Two imports a look: the 3 chunks of the load take two looks, and one before. */
const IMPORTS_PER_LOOK = 2;

beforeAll(async () => {
  // An account with no contact yet, so that every row of the org is new to Brevo; set up and checked through Brevo's
  // API between runs (see BREVO_LIMITS_OFF_FOR_API_CHECKS).
  harness = await startHarness(database.connection.db!, { ...BREVO_LIMITS_OFF_FOR_API_CHECKS, seed: { contacts: 0 }, webhooks: { batchWindowMs: 20 } });
  receiver = await startWebhookReceiver(harness.store);
  const generated = await fetch(`${harness.salesforce.url}/__sandbox/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ object: 'Contact', count: GENERATED, seed: 17 }),
  });
  expect(generated.status).toBe(201);
});
afterAll(async () => {
  await receiver.close();
  await harness.stop();
});

/** The engine's waits end when the sandbox has finished every import: each import is looked at once, so call counts are exact. */
async function untilImportsEnd(): Promise<void> {
  const running = () => harness.brevo.state.allAccounts().some((account) => account.processes.all().some((p) => p.status === 'queued' || p.status === 'in_process'));
  while (running()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function brevoCalls(): Record<string, number> {
  return harness.brevo.calls.snapshot().byRoute;
}

async function contactByEmail(email: string) {
  return harness.client.contacts.getContactInfo({ identifier: email, identifierType: 'email_id' });
}

/**
 * An initial load fooled by the list's size: one record's row skipped (its email is another person's contact, outside
 * the list) while a marketer adds a contact to the list. Returns that record, wrongly linked.
 */
async function fooledLoad(integration: Awaited<ReturnType<typeof createIntegration>>) {
  const [taken] = (await harness.conn.query<{ Id: string; Email: string; Title: string | null }>("SELECT Id, Email, Title FROM Contact WHERE Email LIKE '%@%' ORDER BY Id DESC LIMIT 1")).records;
  await harness.client.contacts.createContact({ email: taken!.Email, attributes: { LASTNAME: 'Someone Else', JOB_TITLE: 'Their own title' } });
  let added = false;
  const addDuringImport = async () => {
    if (!added) {
      added = true;
      await harness.client.contacts.createContact({ email: 'added.by.a.marketer@example.test', listIds: [integration.listId] });
    }
    await untilImportsEnd();
  };
  harness.brevo.calls.reset();
  const result = await syncSalesforceToBrevo(integration, engineDeps(harness, { sleep: addDuringImport, options: { chunkSize: 10_000, pageSize: 500 } }));
  return { taken: taken!, result };
}

describe("an import's outcome, learned without reading the list back", () => {
  it('an initial load of N records costs one import per chunk, one look at the list before and one for every few imports: every contact linked by its ext_id, its id looked up once, at its first write', async () => {
    // Opt-outs off: opted-out records go in an import of their own (counted in opt-outs.test.ts).
    const integration = await createIntegration(harness, { mappingSettings: { optOuts: { enabled: false, resubscribeClears: false } } });
    harness.brevo.calls.reset();
    const options = { chunkSize: CHUNK, pageSize: 500, importsPerLook: IMPORTS_PER_LOOK };
    const result = await syncSalesforceToBrevo(integration, engineDeps(harness, { sleep: untilImportsEnd, options }));
    expect(result.error).toBeUndefined();
    expect(result.end).toBe('completed');

    const chunks = Math.ceil(result.counts.read / CHUNK);
    expect(chunks).toBe(3);
    expect(brevoCalls()).toEqual({ 'POST /contacts/import': chunks, 'GET /contacts/lists/:id': 1 + Math.ceil(chunks / IMPORTS_PER_LOOK) });
    // Every chunk committed once its import was confirmed: the watermark at the last record, nothing left to confirm.
    expect(await harness.store.state.get(integration.id)).toMatchObject({ initialLoadDone: true, unconfirmedImports: [] });

    const members = await listMembers(harness.client, integration.listId);
    expect(members).toHaveLength(result.counts.created);
    const links = await harness.store.links.list(integration.id);
    expect(links).toHaveLength(result.counts.created);
    expect(new Set(members.map((member) => member.attributes.EXT_ID))).toEqual(new Set(links.map((link) => link.salesforceId)));
    // Linked by ext_id (R14): no Brevo id was needed, so none was fetched.
    expect(links.every((link) => link.brevoId === null)).toBe(true);

    // A record's first write after the load: its link is resolved by ext_id once, then written by id, and keeps the id.
    const record = links[0]!.salesforceId;
    const contact = await harness.client.contacts.getContactInfo({ identifier: record, identifierType: 'ext_id' });
    for (const title of ['First change', 'Second change']) {
      await harness.conn.sobject('Contact').update({ Id: record, Title: title });
      harness.brevo.calls.reset();
      const run = await syncSalesforceToBrevo(integration, engineDeps(harness, { sleep: untilImportsEnd }));
      expect(run.counts).toMatchObject({ read: 1, updated: 1 });
      expect(brevoCalls()).toEqual(title === 'First change' ? { 'GET /contacts/:id': 1, 'POST /contacts/batch': 1 } : { 'POST /contacts/batch': 1 });
      expect((await harness.store.links.findBySalesforceIds(integration.id, [record])).get(record)?.brevoId).toBe(contact.id);
      expect((await contactByEmail(contact.email!)).attributes).toMatchObject({ JOB_TITLE: title });
    }
  });

  it("fooled by someone else's add to the list while a row is skipped: the wrong link is found out at the record's first write, which never touches the other person's contact", async () => {
    const integration = await createIntegration(harness, { mappingSettings: { optOuts: { enabled: false, resubscribeClears: false } } });
    // One record's email already belongs to another person's Brevo contact, outside the list: its import row is skipped.
    // Meanwhile a marketer adds a contact to the list: the list grows by as many contacts as the import had rows.
    const { taken, result: first } = await fooledLoad(integration);
    expect(first.end).toBe('completed');
    expect(brevoCalls()['GET /contacts']).toBeUndefined();
    // What the inference can miss: the skipped row counted as created and linked, with no Brevo id.
    const ours = (await listMembers(harness.client, integration.listId)).filter((member) => typeof member.attributes.EXT_ID === 'string');
    expect(first.counts.created).toBe(ours.length + 1);
    const wrongLink = (await harness.store.links.findBySalesforceIds(integration.id, [taken!.Id])).get(taken!.Id);
    expect(wrongLink).toMatchObject({ brevoId: null, values: { email: taken!.Email.toLowerCase() } });

    // The record's first write after the load: its link is resolved by ext_id, which Brevo does not know.
    await harness.conn.sobject('Contact').update({ Id: taken!.Id, Title: 'Written for the Salesforce record' });
    const later = await syncSalesforceToBrevo(integration, engineDeps(harness, { sleep: untilImportsEnd }));
    expect(later.end).toBe('completed');

    // The other person's contact is untouched: not renamed, not retitled, not linked, not put in the list.
    const other = await contactByEmail(taken!.Email);
    expect(other.attributes).toMatchObject({ LASTNAME: 'Someone Else', JOB_TITLE: 'Their own title' });
    expect(other.attributes).not.toHaveProperty('EXT_ID');
    expect(other.listIds).not.toContain(integration.listId);
    // The record is what it would have been without the coincidence: R15, a duplicate email, unlinked.
    const errors = await harness.store.errors.listForRun(later.runId!);
    expect(errors.filter((error) => error.salesforceId === taken!.Id)).toMatchObject([{ rule: 'R15', code: 'duplicate', field: 'email', severity: 'error' }]);
    expect(later.counts).toMatchObject({ updated: 0, created: 0, rejected: 1 });
    expect((await harness.store.links.findBySalesforceIds(integration.id, [taken!.Id])).has(taken!.Id)).toBe(false);
  });

  it("Brevo → Salesforce, the same coincidence: the other person's edits in Brevo are not written to the wrongly linked record", async () => {
    const integration = await createIntegration(harness, { mappingSettings: { optOuts: { enabled: false, resubscribeClears: false } } });
    await registerIntegrationWebhook(integration.id, { brevo: harness.client, store: harness.store, secrets: FAKE_SEALER, bffPublicUrl: receiver.url });
    const { taken } = await fooledLoad(integration);
    expect((await harness.store.links.findBySalesforceIds(integration.id, [taken.Id])).get(taken.Id)).toMatchObject({ brevoId: null });
    await harness.brevo.deliveries.idle();
    await runIntegration(integration, engineDeps(harness));

    // The other person edits their own contact in Brevo: its webhook names it by the email the wrong link holds.
    await harness.client.contacts.updateContact({ identifier: taken.Email, identifierType: 'email_id', attributes: { JOB_TITLE: 'Edited by someone else' } });
    await harness.brevo.deliveries.idle();
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce.end).toBe('completed');
    const [record] = (await harness.conn.query<{ Title: string | null }>(`SELECT Title FROM Contact WHERE Id = '${taken.Id}'`)).records;
    expect(record!.Title).toBe(taken.Title);
  });

  it("a short sum is never taken for every row: a record whose email an earlier chunk's contact holds is found out by reading the imports back, and is R15", async () => {
    const integration = await createIntegration(harness, { mappingSettings: { optOuts: { enabled: false, resubscribeClears: false } } });
    // The oldest record is in the first chunk; a new one with its email is the newest, in the last chunk.
    const [oldest] = (await harness.conn.query<{ Id: string; Email: string }>("SELECT Id, Email FROM Contact WHERE Email LIKE '%@%' ORDER BY SystemModstamp ASC, Id ASC LIMIT 1")).records;
    const twin = await harness.conn.sobject('Contact').create({ LastName: 'Same Email', Email: oldest!.Email });
    try {
      harness.brevo.calls.reset();
      const result = await syncSalesforceToBrevo(integration, engineDeps(harness, { sleep: untilImportsEnd, options: { chunkSize: CHUNK, pageSize: 500 } }));
      expect(result.end).toBe('completed');
      // One look for the three imports fell short by one row: their contacts read back together (about a page a chunk's rows).
      expect(brevoCalls()['POST /contacts/import']).toBe(3);
      const readBack = brevoCalls()['GET /contacts'] ?? 0;
      expect(readBack >= 1 && readBack <= 4, `${readBack} pages read back`).toBe(true);

      const members = await listMembers(harness.client, integration.listId);
      const links = await harness.store.links.list(integration.id);
      expect(new Set(links.map((link) => link.salesforceId))).toEqual(new Set(members.map((member) => member.attributes.EXT_ID)));
      expect(links.some((link) => link.salesforceId === twin.id)).toBe(false);
      const errors = await harness.store.errors.listForRun(result.runId!);
      expect(errors.filter((error) => error.salesforceId === twin.id)).toMatchObject([{ rule: 'R15', code: 'duplicate', field: 'email', severity: 'error', contact: { email: oldest!.Email.toLowerCase() } }]);
      // Counted created when imported, then rejected: as many as the records with an error (the planner's and the twin).
      const rejected = new Set(errors.filter((error) => error.severity === 'error').map((error) => error.salesforceId)).size;
      expect(result.counts).toMatchObject({ created: members.length, rejected, failed: 0 });
      expect((await harness.store.runs.get(result.runId!))?.counts).toMatchObject({ created: members.length, rejected, failed: 0 });
      expect(await harness.store.state.get(integration.id)).toMatchObject({ initialLoadDone: true, unconfirmedImports: [] });
    } finally {
      await harness.conn.sobject('Contact').destroy(twin.id!);
    }
  });
});
