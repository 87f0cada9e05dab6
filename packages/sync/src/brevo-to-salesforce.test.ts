import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBrevoEvents } from './brevo-to-salesforce.ts';
import { runIntegration } from './run-integration.ts';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, engineDeps, listMembers, startSyncedIntegration, type Harness } from './testing/harness.ts';
import { receiveBrevoWebhook } from './webhooks.ts';
import type { IntegrationSnapshot } from './integration.ts';

const database = useTestDatabase('sync_b2s');
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;
let harness: Harness;
let receiver: typeof synced.receiver;
let integration: IntegrationSnapshot;
let members: typeof synced.members;

type Row = { Id: string; FirstName: string | null; LastName: string; Title: string | null; Email: string | null; IsDeleted: boolean };

beforeAll(async () => {
  // Activation: the webhook first, then the initial load (whose own writes come back as echoes).
  // Edited and checked through Brevo's API between runs: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  synced = await startSyncedIntegration(database.connection.db!, {}, { brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS });
  ({ harness, receiver, integration, members } = synced);
});
afterAll(async () => {
  await synced.stop();
});

async function salesforceRecord(id: string): Promise<Row | undefined> {
  const result = await harness.conn.query<Row>(`SELECT Id, FirstName, LastName, Title, Email, IsDeleted FROM Contact WHERE Id = '${id}'`, { scanAll: true });
  return result.records[0];
}

async function editInBrevo(contactId: number, attributes: Record<string, string>): Promise<void> {
  await harness.client.contacts.updateContact({ identifier: String(contactId), identifierType: 'contact_id', attributes });
  await harness.brevo.deliveries.idle();
}

const memberAt = (i: number) => ({ brevoId: members[i]!.id, salesforceId: members[i]!.attributes.EXT_ID as string });

/**
 * A `contact_updated` delivery of one Brevo time (`ts`, whole seconds), posted as Brevo would through the receiver (the
 * secret is only known to Brevo: read back from the registry).
 */
async function deliverUpdate(email: string | undefined, ts: number, content: Record<string, unknown>) {
  const webhook = harness.brevo.state.account('acc_demo').webhooks.all().at(-1)!;
  return receiveBrevoWebhook(
    { integrationId: integration.id, authorization: `Bearer ${webhook.auth!.token}`, body: { event: 'contact_updated', email, id: webhook.id, ts, content: [content] } },
    { store: harness.store },
  );
}

async function linkOf(salesforceId: string) {
  return (await harness.store.links.findBySalesforceIds(integration.id, [salesforceId])).get(salesforceId)!;
}

async function writeInSalesforce(salesforceId: string, fields: Record<string, string>): Promise<void> {
  await harness.conn.sobject('Contact').update({ Id: salesforceId, ...fields });
  await syncSalesforceToBrevo(integration, engineDeps(harness));
  await harness.brevo.deliveries.idle();
}

/** Into the next second of the clocks (Brevo's event times are whole seconds). */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

describe('Brevo → Salesforce', () => {
  it('ignores the echoes of its own initial load', async () => {
    expect(receiver.answers.length).toBeGreaterThan(0);
    expect(receiver.answers.every((status) => status === 200)).toBe(true);
    harness.salesforce.calls.reset();
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce.counts.updated).toBe(0);
    expect(result.brevoToSalesforce.operations).toBe(0);
    expect(await harness.store.events.countPending(integration.id)).toBe(0);
    // Echoes only and nothing changed in Salesforce: its queryAll and one describe, shared by both directions.
    const describes = Object.entries(harness.salesforce.calls.snapshot().byRoute).filter(([route]) => route.endsWith('/describe'));
    expect(describes.map(([, count]) => count)).toEqual([1]);
    expect(harness.salesforce.calls.snapshot().total).toBe(2);
  });

  it('applies an edit made in Brevo to the linked Salesforce record through a real webhook, and does not echo it back', async () => {
    const { brevoId, salesforceId } = memberAt(0);
    await editInBrevo(brevoId, { FIRSTNAME: 'Brevina', JOB_TITLE: 'Edited in Brevo' });
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce).toMatchObject({ end: 'completed', operations: 1 });
    expect(await salesforceRecord(salesforceId)).toMatchObject({ FirstName: 'Brevina', Title: 'Edited in Brevo' });
    // The Salesforce write comes back to Salesforce → Brevo as an unchanged record: no Brevo write.
    harness.brevo.calls.reset();
    const next = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(next.operations).toBe(0);
    expect(harness.brevo.calls.snapshot().byRoute['POST /contacts/batch']).toBeUndefined();
  });

  it('R8: an emptied last name is not written (warning), the other fields are', async () => {
    const { brevoId, salesforceId } = memberAt(1);
    const before = await salesforceRecord(salesforceId);
    await editInBrevo(brevoId, { LASTNAME: '', JOB_TITLE: 'Nameless' });
    const result = await runIntegration(integration, engineDeps(harness));
    expect(await salesforceRecord(salesforceId)).toMatchObject({ LastName: before!.LastName, Title: 'Nameless' });
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((i) => i.salesforceId === salesforceId)).toMatchObject({ code: 'last_name_emptied', rule: 'R8', severity: 'warning' });
  });

  it('R9: a value longer than the Salesforce field is not written; record error and integration status error', async () => {
    const { brevoId, salesforceId } = memberAt(2);
    const before = await salesforceRecord(salesforceId);
    await editInBrevo(brevoId, { FIRSTNAME: 'X'.repeat(60) });
    const result = await runIntegration(integration, engineDeps(harness));
    expect((await salesforceRecord(salesforceId))!.FirstName).toBe(before!.FirstName);
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((i) => i.salesforceId === salesforceId)).toMatchObject({ code: 'text_too_long', rule: 'R9', severity: 'error', field: 'FirstName' });
    expect(harness.statuses.current.get(integration.id)).toBe('error');
  });

  it('R7: a Brevo date in another form is not written (warning)', async () => {
    const { salesforceId } = memberAt(3);
    const link = await linkOf(salesforceId);
    const state = await harness.store.state.get(integration.id);
    expect(state.webhookSecretHash).toBeTruthy();
    const answer = await deliverUpdate(link.values.email, Math.floor(Date.now() / 1000), { BIRTHDAY: '31/12/1990', JOB_TITLE: 'Dated' });
    expect(answer.status).toBe(200);
    const result = await runIntegration(integration, engineDeps(harness));
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((i) => i.salesforceId === salesforceId)).toMatchObject({ code: 'date_invalid', rule: 'R7', severity: 'warning' });
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Dated');
  });

  it('R12: a contact that exists only in Brevo is never created in Salesforce', async () => {
    const before = (await harness.conn.query('SELECT COUNT() FROM Contact')).totalSize;
    const brevoOnly = (await harness.client.contacts.getContacts({ limit: 50, sort: 'asc' })).contacts!.find((c) => !(c.attributes as Record<string, unknown>).EXT_ID)!;
    await editInBrevo(brevoOnly.id, { FIRSTNAME: 'OnlyInBrevo' });
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce.counts.updated).toBe(0);
    expect((await harness.conn.query('SELECT COUNT() FROM Contact')).totalSize).toBe(before);
  });

  it('R13: a Brevo delete deletes the linked Salesforce record; a Contact with Cases is refused once, as a record error', async () => {
    const { brevoId, salesforceId } = memberAt(4);
    await harness.client.contacts.deleteContact({ identifier: String(brevoId), identifierType: 'contact_id' });
    const josh = (await harness.conn.query<Row>("SELECT Id FROM Contact WHERE LastName = 'Davis' AND FirstName = 'Josh'")).records[0]!;
    const joshLink = (await harness.store.links.findBySalesforceIds(integration.id, [josh.Id])).get(josh.Id)!;
    // Linked by its ext_id: the import that created it answered no id, and none was needed since.
    expect(joshLink.brevoId).toBeNull();
    await harness.client.contacts.deleteContact({ identifier: josh.Id, identifierType: 'ext_id' });
    await harness.brevo.deliveries.idle();

    const result = await runIntegration(integration, engineDeps(harness));
    expect((await salesforceRecord(salesforceId))!.IsDeleted).toBe(true);
    expect((await salesforceRecord(josh.Id))!.IsDeleted).toBe(false);
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((i) => i.salesforceId === josh.Id)).toMatchObject({ code: 'delete_refused', rule: 'R13', severity: 'error', retryable: false });
    // Not retried.
    const again = await runIntegration(integration, engineDeps(harness));
    expect(again.brevoToSalesforce.runId).toBeNull();
  });

  it("R13: a forged contact_deleted (the webhook's secret read with the account's Brevo key) deletes nothing, and says so", async () => {
    const { brevoId, salesforceId } = memberAt(7);
    // What anyone holding the account's Brevo key can do: read the webhook's URL and secret, then post a delete.
    const { brevoWebhookId } = await harness.store.state.get(integration.id);
    const webhook = (await harness.client.webhooks.getWebhook({ webhookId: brevoWebhookId! })) as { url: string; auth?: { token: string } };
    const contact = await harness.client.contacts.getContactInfo({ identifier: String(brevoId), identifierType: 'contact_id' });
    const forged = await fetch(webhook.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${webhook.auth!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'contact_deleted', email: contact.email, id: brevoId, ts: Math.floor(Date.now() / 1000) }),
    });
    // The receiver cannot tell it from Brevo's: stored, and checked with Brevo before anything is deleted.
    expect(forged.status).toBe(200);

    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce.counts.deleted).toBe(0);
    expect((await salesforceRecord(salesforceId))!.IsDeleted).toBe(false);
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((issue) => issue.salesforceId === salesforceId)).toMatchObject({ code: 'delete_unconfirmed', rule: 'R13', severity: 'warning' });
    expect(await harness.store.events.countPending(integration.id)).toBe(0);
    // The contact still syncs: its link is intact.
    await editInBrevo(brevoId, { JOB_TITLE: 'Still here' });
    await runIntegration(integration, engineDeps(harness));
    expect(await salesforceRecord(salesforceId)).toMatchObject({ Title: 'Still here', IsDeleted: false });
  });

  it('R17: the later change wins when a field changed on both sides', async () => {
    const brevoLater = memberAt(5);
    const salesforceLater = memberAt(6);
    // Salesforce first, Brevo a second later: Brevo wins.
    await harness.conn.sobject('Contact').update({ Id: brevoLater.salesforceId, Title: 'Salesforce early' });
    // Brevo first, Salesforce a second later: Salesforce wins.
    await editInBrevo(salesforceLater.brevoId, { JOB_TITLE: 'Brevo early' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await editInBrevo(brevoLater.brevoId, { JOB_TITLE: 'Brevo late' });
    await harness.conn.sobject('Contact').update({ Id: salesforceLater.salesforceId, Title: 'Salesforce late' });

    const result = await runIntegration(integration, engineDeps(harness));
    expect((await salesforceRecord(brevoLater.salesforceId))!.Title).toBe('Brevo late');
    expect((await salesforceRecord(salesforceLater.salesforceId))!.Title).toBe('Salesforce late');
    const inBrevo = new Map((await listMembers(harness.client, integration.listId)).map((m) => [m.id, m.attributes.JOB_TITLE]));
    expect(inBrevo.get(brevoLater.brevoId)).toBe('Brevo late');
    expect(inBrevo.get(salesforceLater.brevoId)).toBe('Salesforce late');
    // Each decision is a record warning on the integration's page: the field, the attribute, the rule.
    const decisions = (await harness.store.errors.listForRun(result.brevoToSalesforce.runId!)).filter((issue) => issue.rule === 'R17');
    expect(decisions.find((issue) => issue.salesforceId === brevoLater.salesforceId)).toMatchObject({ code: 'conflict_brevo_kept', field: 'Title', severity: 'warning' });
    expect(decisions.find((issue) => issue.salesforceId === salesforceLater.salesforceId)).toMatchObject({ code: 'conflict_salesforce_kept', field: 'Title', severity: 'warning' });
  });

  it('R17 by the integration’s policy: with "Salesforce wins" a later Brevo edit of the same field is not written, and the decision is recorded', async () => {
    const { brevoId, salesforceId } = memberAt(8);
    const salesforceWins: IntegrationSnapshot = { ...integration, mappingSettings: { conflictPolicy: 'salesforce_wins' } };
    await harness.conn.sobject('Contact').update({ Id: salesforceId, Title: 'Salesforce first' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await editInBrevo(brevoId, { JOB_TITLE: 'Brevo later', CITY: 'Brevo city' });
    const result = await runIntegration(salesforceWins, engineDeps(harness));
    // The conflicting field keeps Salesforce's value on both sides; the field changed only in Brevo is written.
    expect(await salesforceRecord(salesforceId)).toMatchObject({ Title: 'Salesforce first' });
    const mailingCity = await harness.conn.query<{ MailingCity: string }>(`SELECT MailingCity FROM Contact WHERE Id = '${salesforceId}'`);
    expect(mailingCity.records[0]!.MailingCity).toBe('Brevo city');
    const inBrevo = new Map((await listMembers(harness.client, integration.listId)).map((m) => [m.id, m.attributes.JOB_TITLE]));
    expect(inBrevo.get(brevoId)).toBe('Salesforce first');
    const issues = await harness.store.errors.listForRun(result.brevoToSalesforce.runId!);
    expect(issues.find((issue) => issue.salesforceId === salesforceId)).toMatchObject({ code: 'conflict_salesforce_kept', rule: 'R17', field: 'Title', severity: 'warning' });
  });

  it('follows each field’s direction: Salesforce → Brevo only is never written to Salesforce, Brevo → Salesforce only never to Brevo', async () => {
    const { brevoId, salesforceId } = memberAt(9);
    const directed: IntegrationSnapshot = { ...integration, mappingSettings: { directions: { FIRSTNAME: 'salesforce_to_brevo', JOB_TITLE: 'brevo_to_salesforce' } } };
    const before = await salesforceRecord(salesforceId);
    await editInBrevo(brevoId, { FIRSTNAME: 'Not for Salesforce', JOB_TITLE: 'For Salesforce' });
    await runIntegration(directed, engineDeps(harness));
    expect(await salesforceRecord(salesforceId)).toMatchObject({ FirstName: before!.FirstName, Title: 'For Salesforce' });

    await harness.conn.sobject('Contact').update({ Id: salesforceId, FirstName: 'For Brevo', Title: 'Not for Brevo' });
    await syncSalesforceToBrevo(directed, engineDeps(harness));
    const member = (await listMembers(harness.client, integration.listId)).find((m) => m.id === brevoId)!;
    expect(member.attributes).toMatchObject({ FIRSTNAME: 'For Brevo', JOB_TITLE: 'For Salesforce' });
  });

  it('applies duplicate and out-of-order webhooks once, in the order of the changes', async () => {
    const { salesforceId } = memberAt(7);
    const link = await linkOf(salesforceId);
    const deliver = (ts: number, title: string) => deliverUpdate(link.values.email, ts, { JOB_TITLE: title });
    const now = Math.floor(Date.now() / 1000);
    // The later change arrives first, then the earlier one, then the later one again.
    expect((await deliver(now + 20, 'Second change')).stored).toBe(1);
    expect((await deliver(now + 10, 'First change')).stored).toBe(1);
    expect((await deliver(now + 20, 'Second change')).duplicates).toBe(1);
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce.counts.updated).toBe(1);
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Second change');
  });

  it("looks the contacts of many events it holds no link for up in one read of the account's changed contacts, not one call each", async () => {
    // Another integration of the account (its own list, its own records) writes its contacts: every webhook of the account
    // receives their events, which name them by email only.
    const others = Array.from({ length: 30 }, (_, i) => ({ email: `other.${i}@elsewhere.test`, extId: `003XX000000Oth${String(i).padStart(4, '0')}` }));
    for (const other of others) await harness.client.contacts.createContact({ email: other.email, attributes: { EXT_ID: other.extId } });
    for (const other of others) await harness.client.contacts.updateContact({ identifier: other.email, identifierType: 'email_id', attributes: { JOB_TITLE: 'Theirs' } });
    // And one of ours whose email was changed in Brevo: its event names it by the new email, which no link holds yet.
    const { brevoId, salesforceId } = memberAt(10);
    await editInBrevo(brevoId, { EMAIL: 'renamed.in.brevo@example.test', JOB_TITLE: 'Renamed' });
    await harness.brevo.deliveries.idle();
    harness.brevo.calls.reset();
    const result = await runIntegration(integration, engineDeps(harness));
    expect(result.brevoToSalesforce).toMatchObject({ end: 'completed', operations: 1 });
    expect(await salesforceRecord(salesforceId)).toMatchObject({ Email: 'renamed.in.brevo@example.test', Title: 'Renamed' });
    // Not one GET /contacts/{email} per contact: one page of the contacts changed since the first of those events.
    const byRoute = harness.brevo.calls.snapshot().byRoute;
    const lookups = Object.entries(byRoute).filter(([route]) => route.startsWith('GET /contacts/') && route.includes('%40'));
    expect(lookups, JSON.stringify(byRoute)).toEqual([]);
    expect(byRoute['GET /contacts']).toBe(1);
  });

  it('an event of the import that created a contact, applied after a later write of that record, does not take the record back', async () => {
    await applyBrevoEvents(integration, engineDeps(harness));
    const created = await harness.conn.sobject('Contact').create({ LastName: 'Stale', Email: 'stale.echo@example.test', Title: 'Imported' });
    const salesforceId = (created as { id: string }).id;
    await syncSalesforceToBrevo(integration, engineDeps(harness));
    await harness.brevo.deliveries.idle();
    // An import stamps nothing (its event is left out by EXT_ID): a load's links are as small as before.
    expect((await harness.store.links.findBySalesforceIds(integration.id, [salesforceId])).get(salesforceId)?.attributesWrittenAt).toBeUndefined();
    // Edited in Salesforce and written to Brevo before the import's event is applied (a backlog of events).
    await harness.conn.sobject('Contact').update({ Id: salesforceId, Title: 'Edited after the import' });
    await syncSalesforceToBrevo(integration, engineDeps(harness));
    await harness.brevo.deliveries.idle();
    // More events than one run takes: the import's event (the oldest received) alone in the first.
    const first = await applyBrevoEvents(integration, engineDeps(harness), 1);
    expect(first.counts).toMatchObject({ read: 1, updated: 0 });
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Edited after the import');
    await runIntegration(integration, engineDeps(harness));
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Edited after the import');
    const contact = [...harness.brevo.state.account('acc_demo').contacts.all()].find((c) => c.attributes.EXT_ID === salesforceId);
    expect(contact?.attributes.JOB_TITLE).toBe('Edited after the import');
  });

  it('the event of an earlier batch update, applied after a later write of the same attribute, does not take the record back', async () => {
    await applyBrevoEvents(integration, engineDeps(harness));
    const { brevoId, salesforceId } = memberAt(11);
    // Two Salesforce → Brevo writes of JOB_TITLE in two seconds, and no key name to drop their events by on receipt.
    await writeInSalesforce(salesforceId, { Title: 'First write' });
    await nextSecond();
    await writeInSalesforce(salesforceId, { Title: 'Second write' });
    // More events than one run takes: the first write's event (the older change) alone in the first.
    const first = await applyBrevoEvents(integration, engineDeps(harness), 1);
    expect(first.counts).toMatchObject({ read: 1, updated: 0 });
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Second write');
    expect((await linkOf(salesforceId)).values.attributes.JOB_TITLE).toBe('Second write');
    await runIntegration(integration, engineDeps(harness));
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Second write');
    const contact = await harness.client.contacts.getContactInfo({ identifier: String(brevoId), identifierType: 'contact_id' });
    expect((contact.attributes as Record<string, unknown>).JOB_TITLE).toBe('Second write');
  });

  it('applies a Brevo edit of one attribute made before our later write of another', async () => {
    await applyBrevoEvents(integration, engineDeps(harness));
    const { brevoId, salesforceId } = memberAt(12);
    await editInBrevo(brevoId, { CITY: 'Edited in Brevo first' });
    await nextSecond();
    // Sends JOB_TITLE only (what changed in Salesforce): CITY in Brevo is the edit's.
    await writeInSalesforce(salesforceId, { Title: 'Written later' });
    const first = await applyBrevoEvents(integration, engineDeps(harness), 1);
    expect(first.counts).toMatchObject({ read: 1, updated: 1 });
    const record = await harness.conn.query<{ MailingCity: string; Title: string }>(`SELECT MailingCity, Title FROM Contact WHERE Id = '${salesforceId}'`);
    expect(record.records[0]).toMatchObject({ MailingCity: 'Edited in Brevo first', Title: 'Written later' });
  });

  it('applies a Brevo edit of an attribute made after our write of it', async () => {
    await applyBrevoEvents(integration, engineDeps(harness));
    const { brevoId, salesforceId } = memberAt(13);
    await writeInSalesforce(salesforceId, { Title: 'Ours' });
    await nextSecond();
    await editInBrevo(brevoId, { JOB_TITLE: 'Edited in Brevo after ours' });
    // Our write's own event first: the value the link holds, no change.
    expect((await applyBrevoEvents(integration, engineDeps(harness), 1)).counts).toMatchObject({ read: 1, updated: 0 });
    expect((await applyBrevoEvents(integration, engineDeps(harness), 1)).counts).toMatchObject({ read: 1, updated: 1 });
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Edited in Brevo after ours');
  });

  it('applies a Brevo change of an attribute made in the second of our write of it, not one made in the second before', async () => {
    await applyBrevoEvents(integration, engineDeps(harness));
    const { salesforceId } = memberAt(14);
    await writeInSalesforce(salesforceId, { Title: 'Ours' });
    await applyBrevoEvents(integration, engineDeps(harness));
    const link = await linkOf(salesforceId);
    const second = Math.floor(link.attributesWrittenAt!.JOB_TITLE!.getTime() / 1000);
    expect((await deliverUpdate(link.values.email, second - 1, { JOB_TITLE: 'A second before ours' })).stored).toBe(1);
    expect((await applyBrevoEvents(integration, engineDeps(harness))).counts).toMatchObject({ read: 1, updated: 0 });
    expect((await salesforceRecord(salesforceId))!.Title).toBe('Ours');
    expect((await deliverUpdate(link.values.email, second, { JOB_TITLE: 'In the second of ours' })).stored).toBe(1);
    expect((await applyBrevoEvents(integration, engineDeps(harness))).counts).toMatchObject({ read: 1, updated: 1 });
    expect((await salesforceRecord(salesforceId))!.Title).toBe('In the second of ours');
  });

  it('refuses a webhook without the integration secret and stores a redelivery once', async () => {
    const body = { event: 'contact_updated', email: 'x@y.test', ts: 1_700_000_000, content: [{ FIRSTNAME: 'A' }] };
    expect((await receiveBrevoWebhook({ integrationId: integration.id, authorization: 'Bearer wrong', body }, { store: harness.store })).status).toBe(401);
    expect((await receiveBrevoWebhook({ integrationId: integration.id, authorization: undefined, body }, { store: harness.store })).status).toBe(401);
    expect((await receiveBrevoWebhook({ integrationId: 'unknown', authorization: 'Bearer x', body }, { store: harness.store })).status).toBe(401);
    const webhook = harness.brevo.state.account('acc_demo').webhooks.all().at(-1)!;
    const auth = `Bearer ${webhook.auth!.token}`;
    expect((await receiveBrevoWebhook({ integrationId: integration.id, authorization: auth, body: { event: 'contact_updated' } }, { store: harness.store })).status).toBe(400);
    expect(await receiveBrevoWebhook({ integrationId: integration.id, authorization: auth, body }, { store: harness.store })).toMatchObject({ status: 200, stored: 1 });
    expect(await receiveBrevoWebhook({ integrationId: integration.id, authorization: auth, body }, { store: harness.store })).toMatchObject({ status: 200, stored: 0, duplicates: 1 });
  });
});
