import { randomBytes } from 'node:crypto';
import { findContact } from '@contact-sync/brevo';
import { RuleCode, type SiblingIntegration } from '@contact-sync/rules';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationSnapshot } from './integration.ts';
import { runIntegration } from './run-integration.ts';
import { applySalesforceChanges, type EngineDeps } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, engineDeps, FAKE_SEALER, LEAD_MAPPING, listMembers, startSyncedIntegration, type Harness } from './testing/harness.ts';
import { registerIntegrationWebhook } from './webhooks.ts';

/**
 * Converted leads (issue 16 §5) against both sandboxes: a Leads and a Contacts integration of the same
 * account and org; leads converted through the SOAP API. With the Contacts integration covering it, the
 * lead's Brevo contact follows the new Contact whichever integration sees the conversion first (run or
 * stream): one Brevo contact, its ext_id the Contact's, in the Contacts list, later Contact edits synced
 * to it and Brevo edits written to the Contact. Without one, it stops syncing with a record error, and
 * nothing is deleted.
 */
const database = useTestDatabase('sync_lead_conversion');
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;
let harness: Harness;
let contacts: IntegrationSnapshot;
let leads: IntegrationSnapshot;
let counter = 0;

const sibling = (integration: IntegrationSnapshot): SiblingIntegration => ({ id: integration.id, kind: integration.kind, status: integration.status });
/** Each integration's engine, knowing the other as its sibling (`covered: false`: the Leads integration sees no Contacts integration). */
const depsOf = (integration: IntegrationSnapshot, covered = true): EngineDeps => {
  const others = integration === leads ? (covered ? [sibling(contacts)] : []) : [sibling(leads)];
  return engineDeps(harness, { siblings: async () => others });
};

beforeAll(async () => {
  synced = await startSyncedIntegration(database.connection.db!, {}, { brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS });
  ({ harness, integration: contacts } = synced);
  const list = await harness.client.contacts.createList({ name: `Salesforce leads ${Date.now()}`, folderId: 1 });
  leads = { ...contacts, id: randomBytes(12).toString('hex'), kind: 'salesforce-leads', mapping: LEAD_MAPPING, listId: list.id };
  await registerIntegrationWebhook(leads.id, { brevo: harness.client, store: harness.store, secrets: FAKE_SEALER, bffPublicUrl: synced.receiver.url });
  await runIntegration(leads, depsOf(leads));
  await harness.brevo.deliveries.idle();
});
afterAll(async () => {
  await synced.stop();
});

/** A new lead synced to Brevo by the Leads integration; its Brevo contact id. */
async function syncedLead(): Promise<{ leadId: string; email: string; brevoId: number }> {
  counter += 1;
  const email = `converted.${counter}.${Date.now()}@leads.test`;
  const { id } = await harness.conn.sobject('Lead').create({ FirstName: 'Lena', LastName: `Convert${counter}`, Company: 'Lead Co', Email: email, Title: 'Buyer', City: 'Milan' });
  await runIntegration(leads, depsOf(leads));
  const contact = await findContact(harness.client, email, 'email_id');
  expect(contact?.attributes?.EXT_ID).toBe(id);
  return { leadId: id!, email, brevoId: contact!.id };
}

async function convert(leadId: string): Promise<string> {
  const result = await harness.conn.soap.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
  expect(result.success).toBe(true);
  return result.contactId!;
}

async function brevoContact(email: string) {
  return (await findContact(harness.client, email, 'email_id'))!;
}

async function errorsOf(integration: IntegrationSnapshot, salesforceId: string) {
  return (await harness.store.errors.listForIntegration(integration.id, 10_000)).filter((error) => error.salesforceId === salesforceId);
}

/** Distinct Brevo contacts in either integration's list holding this email (one, never two). */
async function contactsWithEmail(email: string): Promise<number> {
  const members = [...(await listMembers(harness.client, leads.listId)), ...(await listMembers(harness.client, contacts.listId))];
  return new Set(members.filter((member) => member.email === email).map((member) => member.id)).size;
}

describe('a converted lead with a Contacts integration on the same org', () => {
  it('seen first by the Leads run: the link follows the Contact; the Contacts run writes the same Brevo contact (ext_id, list), never a second', async () => {
    const { leadId, email, brevoId } = await syncedLead();
    const contactId = await convert(leadId);

    const leadRun = await runIntegration(leads, depsOf(leads));
    expect(leadRun.salesforceToBrevo?.operations).toBe(0);
    expect(await harness.store.links.findBySalesforceIds(leads.id, [leadId])).toEqual(new Map());
    // The lead's link was made by its import: it names its contact by the lead's ext_id, no id yet (resolved at its first write).
    expect((await harness.store.links.findBySalesforceIds(contacts.id, [contactId])).get(contactId)).toMatchObject({ brevoId: null, movedFrom: { integrationId: leads.id, salesforceId: leadId } });
    expect(await errorsOf(leads, leadId)).toEqual([expect.objectContaining({ code: RuleCode.LeadConvertedFollowed, severity: 'warning' })]);

    const contactRun = await runIntegration(contacts, depsOf(contacts));
    expect(contactRun.salesforceToBrevo?.counts.rejected).toBe(0);
    const after = await brevoContact(email);
    expect(after.id).toBe(brevoId);
    expect(after.attributes?.EXT_ID).toBe(contactId);
    expect(after.listIds).toContain(contacts.listId);
    expect(await contactsWithEmail(email)).toBe(1);
    expect(await errorsOf(contacts, contactId)).toEqual([]);
    expect((await harness.store.links.findBySalesforceIds(contacts.id, [contactId])).get(contactId)?.movedFrom).toBeUndefined();

    // Later Contact edits reach the same Brevo contact; the converted lead is never written again.
    await harness.conn.sobject('Contact').update({ Id: contactId, Title: 'Head buyer' });
    await runIntegration(contacts, depsOf(contacts));
    expect((await brevoContact(email)).attributes?.JOB_TITLE).toBe('Head buyer');
    const leadAgain = await runIntegration(leads, depsOf(leads));
    expect(leadAgain.salesforceToBrevo?.operations).toBe(0);
    expect(leadAgain.salesforceToBrevo?.errors).toBe(0);
  });

  it('a Brevo edit of the contact is written to the Contact, not to the read-only lead', async () => {
    const { leadId, email, brevoId } = await syncedLead();
    const contactId = await convert(leadId);
    await runIntegration(leads, depsOf(leads));
    await runIntegration(contacts, depsOf(contacts));
    await harness.brevo.deliveries.idle();
    await runIntegration(contacts, depsOf(contacts));

    await harness.client.contacts.updateContact({ identifier: String(brevoId), identifierType: 'contact_id', attributes: { FIRSTNAME: 'Elena' } });
    await harness.brevo.deliveries.idle();
    const result = await runIntegration(contacts, depsOf(contacts));
    expect(result.brevoToSalesforce.counts.updated).toBe(1);
    const contact = (await harness.conn.sobject('Contact').retrieve(contactId)) as unknown as { FirstName: string };
    expect(contact.FirstName).toBe('Elena');
    const lead = (await harness.conn.sobject('Lead').retrieve(leadId)) as unknown as { FirstName: string };
    expect(lead.FirstName).toBe('Lena');
    expect(await contactsWithEmail(email)).toBe(1);
  });

  it('seen first by the Contacts run: the new Contact takes the lead’s Brevo contact over instead of a duplicate error', async () => {
    const { leadId, email, brevoId } = await syncedLead();
    const contactId = await convert(leadId);

    const contactRun = await runIntegration(contacts, depsOf(contacts));
    expect(contactRun.salesforceToBrevo?.counts.rejected).toBe(0);
    expect(await errorsOf(contacts, contactId)).toEqual([]);
    const after = await brevoContact(email);
    expect(after).toMatchObject({ id: brevoId, attributes: expect.objectContaining({ EXT_ID: contactId }) });
    expect(after.listIds).toContain(contacts.listId);
    expect(await contactsWithEmail(email)).toBe(1);

    // The Leads run then finds the lead's link gone with the contact: nothing to do, no error.
    const leadRun = await runIntegration(leads, depsOf(leads));
    expect(leadRun.salesforceToBrevo?.operations).toBe(0);
    expect((await errorsOf(leads, leadId)).filter((error) => error.severity === 'error')).toEqual([]);
  });

  it('a Contact the Contacts integration’s filter leaves out: not counted as leaving a list it never joined; written once it matches', async () => {
    const { leadId, email, brevoId } = await syncedLead();
    const lastName = `Convert${counter}`;
    const contactId = await convert(leadId);
    await runIntegration(leads, depsOf(leads));

    const excluding: IntegrationSnapshot = { ...contacts, mappingSettings: { ...contacts.mappingSettings, filter: { groups: [{ conditions: [{ field: 'LastName', operator: 'notEquals', value: lastName }] }] } } };
    const filtered = await runIntegration(excluding, depsOf(contacts));
    expect(filtered.salesforceToBrevo?.counts).toMatchObject({ leftList: 0, notMatching: 1, failed: 0 });
    // The lead's contact is kept as the Leads integration left it, its link waiting for the Contact to match.
    expect(await brevoContact(email)).toMatchObject({ id: brevoId, attributes: expect.objectContaining({ EXT_ID: leadId }) });
    expect((await harness.store.links.findBySalesforceIds(contacts.id, [contactId])).get(contactId)).toMatchObject({ movedFrom: { salesforceId: leadId } });

    await harness.conn.sobject('Contact').update({ Id: contactId, Title: 'Matching now' });
    // Without the filter (a changed filter reads every record again, and the seed's duplicates with them): this record's errors only.
    await runIntegration(contacts, depsOf(contacts));
    expect(await errorsOf(contacts, contactId)).toEqual([]);
    const after = await brevoContact(email);
    expect(after).toMatchObject({ id: brevoId, attributes: expect.objectContaining({ EXT_ID: contactId, JOB_TITLE: 'Matching now' }) });
    expect(after.listIds).toContain(contacts.listId);
    expect(await contactsWithEmail(email)).toBe(1);
  });

  it('through the streams: the Lead update event moves the link, the Contact create event writes it', async () => {
    const { leadId, email, brevoId } = await syncedLead();
    const contactId = await convert(leadId);
    const [lead] = (await harness.conn.query<{ SystemModstamp: string; ConvertedDate: string }>(`SELECT SystemModstamp, ConvertedDate FROM Lead WHERE Id = '${leadId}'`)).records;
    const leadChange = {
      id: leadId,
      deleted: false,
      complete: false,
      values: { IsConverted: true, ConvertedContactId: contactId, ConvertedDate: lead!.ConvertedDate, Status: 'Closed - Converted' },
      modstamp: lead!.SystemModstamp,
      origins: [],
    };
    const streamed = await applySalesforceChanges(leads, [leadChange], depsOf(leads), `stream|${leads.id}|convert`);
    expect(streamed.operations).toBe(0);
    expect((await harness.store.links.findBySalesforceIds(contacts.id, [contactId])).get(contactId)).toMatchObject({ brevoId: null, movedFrom: { salesforceId: leadId } });

    const [contact] = (await harness.conn.query<{ SystemModstamp: string; FirstName: string; LastName: string; Email: string; Title: string; MailingCity: string }>(
      `SELECT SystemModstamp, FirstName, LastName, Email, Title, MailingCity FROM Contact WHERE Id = '${contactId}'`,
    )).records;
    const { SystemModstamp, ...values } = contact!;
    const contactChange = { id: contactId, deleted: false, complete: true, values, modstamp: SystemModstamp, origins: [] };
    const written = await applySalesforceChanges(contacts, [contactChange], depsOf(contacts), `stream|${contacts.id}|convert`);
    expect(written.counts.updated).toBe(1);
    expect(await brevoContact(email)).toMatchObject({ id: brevoId, attributes: expect.objectContaining({ EXT_ID: contactId }) });
    expect(await contactsWithEmail(email)).toBe(1);
  });
});

describe('a converted lead without a Contacts integration on the org', () => {
  it('stops syncing with a record error, once; the Brevo contact is kept, in its list, still naming the lead; Brevo edits are not written to the lead', async () => {
    const { leadId, email, brevoId } = await syncedLead();
    const contactId = await convert(leadId);

    const run = await runIntegration(leads, depsOf(leads, false));
    expect(run.salesforceToBrevo?.operations).toBe(0);
    // Its link was made by an import and never written since: no Brevo id to name.
    expect(await errorsOf(leads, leadId)).toEqual([expect.objectContaining({ code: RuleCode.LeadConvertedNotSynced, severity: 'error', brevoId: null })]);
    const kept = await brevoContact(email);
    expect(kept).toMatchObject({ id: brevoId, attributes: expect.objectContaining({ EXT_ID: leadId }) });
    expect(kept.listIds).toContain(leads.listId);
    expect((await listMembers(harness.client, leads.listId)).some((member) => member.id === brevoId)).toBe(true);
    expect((await harness.store.links.findBySalesforceIds(leads.id, [leadId])).get(leadId)?.convertedTo).toBe(contactId);

    // Once: the next run neither writes nor repeats the error. Brevo's events of the values we wrote, arriving only now
    // (an import's events can come after the conversion), are no Brevo edit to report.
    const link = (await harness.store.links.findBySalesforceIds(leads.id, [leadId])).get(leadId)!;
    const at = new Date();
    await harness.store.events.addMany([
      { _id: `late-echo-${leadId}`, integrationId: leads.id, kind: 'contact_updated', brevoId, email, content: { EXT_ID: leadId, ...link.values.attributes }, modifiedAt: at, receivedAt: at, state: 'pending' },
    ]);
    const again = await runIntegration(leads, depsOf(leads, false));
    expect(again.salesforceToBrevo?.operations).toBe(0);
    expect((await errorsOf(leads, leadId)).filter((error) => error.resolvedAt == null)).toHaveLength(1);

    await harness.brevo.deliveries.idle();
    await runIntegration(leads, depsOf(leads, false));
    await harness.client.contacts.updateContact({ identifier: String(brevoId), identifierType: 'contact_id', attributes: { FIRSTNAME: 'Elena' } });
    await harness.brevo.deliveries.idle();
    const edited = await runIntegration(leads, depsOf(leads, false));
    expect(edited.brevoToSalesforce.counts.updated).toBe(0);
    expect(edited.brevoToSalesforce.counts.failed).toBe(0);
    expect(edited.brevoToSalesforce.errors).toBe(1);
    const lead = (await harness.conn.sobject('Lead').retrieve(leadId)) as unknown as { FirstName: string };
    expect(lead.FirstName).toBe('Lena');
    const brevoSide = (await errorsOf(leads, leadId)).filter((error) => error.direction === 'brevo_to_salesforce');
    expect(brevoSide).toEqual([expect.objectContaining({ code: RuleCode.LeadConvertedNotSynced, severity: 'error' })]);
  });
});
