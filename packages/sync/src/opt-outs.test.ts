import { quotaMonth } from '@contact-sync/rules';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationSnapshot } from './integration.ts';
import { runIntegration } from './run-integration.ts';
import { applySalesforceChanges } from './salesforce-to-brevo.ts';
import { receiveBrevoWebhook } from './webhooks.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, engineDeps, LEAD_MAPPING, listMembers, runAndSettle as settle, startSyncedIntegration, type Harness } from './testing/harness.ts';

/**
 * Opt-outs follow the contact (issue 16 §3), against both sandboxes, on by default: a Brevo blocklisting or
 * unsubscribe sets HasOptedOutOfEmail, the flag set in Salesforce blocklists the email in Brevo, a
 * re-subscription clears the flag only when asked, a Salesforce clear never lifts a blocklisting. No key name
 * is given to the webhook receiver: every echo of the integration's own writes reaches the engine, which must
 * find it unchanged (no loop, nothing charged twice).
 */
const database = useTestDatabase('sync_opt_outs');
let synced: Awaited<ReturnType<typeof startSyncedIntegration>>;
let harness: Harness;
let integration: IntegrationSnapshot;

type Row = { Id: string; HasOptedOutOfEmail: boolean };
type Member = { id: number; email?: string; emailBlacklisted?: boolean; attributes: Record<string, unknown> };

beforeAll(async () => {
  synced = await startSyncedIntegration(database.connection.db!, {}, { brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS });
  ({ harness, integration } = synced);
});
afterAll(async () => {
  await synced.stop();
});

async function optedOut(): Promise<Map<string, boolean>> {
  const result = await harness.conn.query<Row>('SELECT Id, HasOptedOutOfEmail FROM Contact');
  return new Map(result.records.map((row) => [row.Id, row.HasOptedOutOfEmail]));
}

async function members(): Promise<Member[]> {
  return (await listMembers(harness.client, integration.listId)) as Member[];
}

async function contactOf(id: number): Promise<Member> {
  return (await harness.client.contacts.getContactInfo({ identifier: String(id), identifierType: 'contact_id' })) as unknown as Member;
}

/** Runs until both directions have nothing left, and says what each run cost. */
const runAndSettle = (snapshot: IntegrationSnapshot = integration) => settle(harness, snapshot);

function expectNothingMore(echo: Awaited<ReturnType<typeof runIntegration>>) {
  expect(echo.brevoToSalesforce.counts.updated).toBe(0);
  expect(echo.brevoToSalesforce.operations).toBe(0);
  expect(echo.salesforceToBrevo?.operations ?? 0).toBe(0);
}

/** A member not opted out on either side. */
async function subscribedMember(skip: ReadonlySet<number> = new Set()): Promise<Member> {
  const flags = await optedOut();
  const member = (await members()).find((candidate) => !candidate.emailBlacklisted && !flags.get(candidate.attributes.EXT_ID as string) && !skip.has(candidate.id));
  expect(member).toBeDefined();
  return member!;
}

describe('opt-outs follow the contact', () => {
  it('the first load blocklists exactly the records opted out in Salesforce, charged once per record', async () => {
    const flags = await optedOut();
    const listed = await members();
    expect(listed.length).toBeGreaterThan(0);
    let blocklisted = 0;
    for (const member of listed) {
      const flag = flags.get(member.attributes.EXT_ID as string);
      expect(member.emailBlacklisted ?? false).toBe(flag);
      if (flag) blocklisted += 1;
    }
    expect(blocklisted).toBeGreaterThan(0);
    // One operation per record written, the blocklisting of a created contact included.
    expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(listed.length);
    // Its echoes (an import, the blocklistings) change nothing and cost nothing.
    const { first, echo } = await runAndSettle();
    expectNothingMore(first);
    expectNothingMore(echo);
  });

  it('a marketer blocklisting the email in Brevo sets HasOptedOutOfEmail; its write does not come back', async () => {
    const member = await subscribedMember();
    const salesforceId = member.attributes.EXT_ID as string;
    await harness.client.contacts.updateContact({ identifier: String(member.id), identifierType: 'contact_id', emailBlacklisted: true });
    const { first, echo } = await runAndSettle();
    expect((await optedOut()).get(salesforceId)).toBe(true);
    expect(first.brevoToSalesforce.counts.updated).toBe(1);
    expect(first.brevoToSalesforce.operations).toBe(1);
    expect(first.salesforceToBrevo?.operations ?? 0).toBe(0);
    expectNothingMore(echo);
  });

  it('an unsubscribe delivered as "unsubscribe" (the name of the event on Brevo\'s marketing-webhooks page) is the same opt-out', async () => {
    const member = await subscribedMember();
    const salesforceId = member.attributes.EXT_ID as string;
    const webhook = harness.brevo.state.account('acc_demo').webhooks.all().at(-1)!;
    const answer = await receiveBrevoWebhook(
      { integrationId: integration.id, authorization: `Bearer ${webhook.auth!.token}`, body: { event: 'unsubscribe', email: member.email, id: webhook.id, camp_id: 1, ts: Math.floor(Date.now() / 1000) } },
      { store: harness.store },
    );
    expect(answer).toMatchObject({ status: 200, stored: 1 });
    expect((await harness.store.events.pending(integration.id, 10)).map((event) => event.kind)).toEqual(['unsubscribed']);
    await runAndSettle();
    expect((await optedOut()).get(salesforceId)).toBe(true);
  });

  it('a recipient unsubscribing from a campaign (the unsubscribed event) sets HasOptedOutOfEmail', async () => {
    const member = await subscribedMember();
    const salesforceId = member.attributes.EXT_ID as string;
    const answer = await fetch(`${harness.brevo.url}/__sandbox/accounts/acc_demo/contacts/${member.id}/unsubscribe`, { method: 'POST' });
    expect(await answer.json()).toEqual({ unsubscribed: true });
    await harness.brevo.deliveries.idle();
    expect((await harness.store.events.pending(integration.id, 10)).map((event) => event.kind)).toEqual(['unsubscribed']);
    const { first, echo } = await runAndSettle();
    expect((await optedOut()).get(salesforceId)).toBe(true);
    expect(first.brevoToSalesforce.operations).toBe(1);
    expectNothingMore(echo);
  });

  it('a re-subscription in Brevo leaves the flag set by default, and clears it when the user asked for that', async () => {
    const [kept, cleared] = (await members()).filter((member) => member.emailBlacklisted);
    await harness.client.contacts.updateContact({ identifier: String(kept!.id), identifierType: 'contact_id', emailBlacklisted: false });
    const byDefault = await runAndSettle();
    expect((await optedOut()).get(kept!.attributes.EXT_ID as string)).toBe(true);
    expect(byDefault.first.brevoToSalesforce.operations).toBe(0);
    expectNothingMore(byDefault.echo);
    // Nothing re-blocklists it: not the unchanged flag, not an unrelated Salesforce edit.
    await harness.conn.sobject('Contact').update({ Id: kept!.attributes.EXT_ID as string, Title: 'Re-subscribed' });
    const edited = await runAndSettle();
    expect(edited.first.salesforceToBrevo?.operations).toBe(1);
    expect((await contactOf(kept!.id)).emailBlacklisted).toBe(false);
    expectNothingMore(edited.echo);

    const asked: IntegrationSnapshot = { ...integration, mappingSettings: { optOuts: { enabled: true, resubscribeClears: true } } };
    await harness.client.contacts.updateContact({ identifier: String(cleared!.id), identifierType: 'contact_id', emailBlacklisted: false });
    const clearing = await runAndSettle(asked);
    expect((await optedOut()).get(cleared!.attributes.EXT_ID as string)).toBe(false);
    expect(clearing.first.brevoToSalesforce.operations).toBe(1);
    expectNothingMore(clearing.echo);
  });

  it('HasOptedOutOfEmail set in Salesforce blocklists the email in Brevo, once', async () => {
    const member = await subscribedMember();
    await harness.conn.sobject('Contact').update({ Id: member.attributes.EXT_ID as string, HasOptedOutOfEmail: true });
    const { first, echo } = await runAndSettle();
    expect((await contactOf(member.id)).emailBlacklisted).toBe(true);
    expect(first.salesforceToBrevo?.operations).toBe(1);
    expect(first.brevoToSalesforce.operations).toBe(0);
    expectNothingMore(echo);
  });

  it('the flag cleared in Salesforce never lifts the blocklisting: the record says why, nothing is charged', async () => {
    const flags = await optedOut();
    const member = (await members()).find((candidate) => candidate.emailBlacklisted && flags.get(candidate.attributes.EXT_ID as string))!;
    const salesforceId = member.attributes.EXT_ID as string;
    await harness.conn.sobject('Contact').update({ Id: salesforceId, HasOptedOutOfEmail: false });
    const { first, echo } = await runAndSettle();
    expect((await contactOf(member.id)).emailBlacklisted).toBe(true);
    expect(first.salesforceToBrevo?.operations).toBe(0);
    const warnings = await harness.store.errors.listForRun(first.salesforceToBrevo!.runId!);
    expect(warnings.find((warning) => warning.salesforceId === salesforceId)).toMatchObject({ code: 'opt_out_kept_in_brevo', severity: 'warning', field: 'HasOptedOutOfEmail' });
    expectNothingMore(echo);
    // Nor does Brevo's unchanged blocklisting set the flag again when the contact changes in Brevo.
    await harness.client.contacts.updateContact({ identifier: String(member.id), identifierType: 'contact_id', attributes: { JOB_TITLE: 'Still blocklisted' } });
    await runAndSettle();
    expect((await optedOut()).get(salesforceId)).toBe(false);
    // Set again in Salesforce, the flag meets a contact Brevo already blocklists: nothing to write.
    await harness.conn.sobject('Contact').update({ Id: salesforceId, HasOptedOutOfEmail: true });
    const again = await runAndSettle();
    expect(again.first.salesforceToBrevo?.operations ?? 0).toBe(0);
    expectNothingMore(again.echo);
  });

  it('a change event (the real-time stream) goes through the same rule', async () => {
    const member = await subscribedMember();
    const salesforceId = member.attributes.EXT_ID as string;
    await harness.conn.sobject('Contact').update({ Id: salesforceId, HasOptedOutOfEmail: true });
    const [row] = (await harness.conn.query<{ SystemModstamp: string }>(`SELECT SystemModstamp FROM Contact WHERE Id = '${salesforceId}'`)).records;
    const change = { id: salesforceId, deleted: false, complete: false, values: { HasOptedOutOfEmail: true }, modstamp: row!.SystemModstamp, origins: [] };
    const result = await applySalesforceChanges(integration, [change], engineDeps(harness), `stream|${integration.id}|opt-out`);
    expect(result.operations).toBe(1);
    expect((await contactOf(member.id)).emailBlacklisted).toBe(true);
    // The watermark run then reads the same change: unchanged, not charged again.
    const { first, echo } = await runAndSettle();
    expect(first.salesforceToBrevo?.operations ?? 0).toBe(0);
    expectNothingMore(echo);
  });

  it('turned off, neither side follows the other', async () => {
    const off: IntegrationSnapshot = { ...integration, mappingSettings: { optOuts: { enabled: false, resubscribeClears: false } } };
    const inSalesforce = await subscribedMember();
    const inBrevo = await subscribedMember(new Set([inSalesforce.id]));
    await harness.conn.sobject('Contact').update({ Id: inSalesforce.attributes.EXT_ID as string, HasOptedOutOfEmail: true });
    await harness.client.contacts.updateContact({ identifier: String(inBrevo.id), identifierType: 'contact_id', emailBlacklisted: true });
    const { first } = await runAndSettle(off);
    expect((await contactOf(inSalesforce.id)).emailBlacklisted).toBe(false);
    expect((await optedOut()).get(inBrevo.attributes.EXT_ID as string)).toBe(false);
    expect(first.brevoToSalesforce.operations).toBe(0);
  });
});

describe('opt-outs of Leads', () => {
  it('a Lead opted out in Salesforce is blocklisted, and a Lead blocklisted in Brevo gets the flag', async () => {
    const leads = await startSyncedIntegration(database.connection.db!, {}, {
      brevo: BREVO_LIMITS_OFF_FOR_API_CHECKS,
      overrides: { kind: 'salesforce-leads', mapping: LEAD_MAPPING },
    });
    try {
      const { harness: h, integration: leadIntegration } = leads;
      const flags = async () => new Map((await h.conn.query<Row>('SELECT Id, HasOptedOutOfEmail FROM Lead')).records.map((row) => [row.Id, row.HasOptedOutOfEmail]));
      const listed = (await listMembers(h.client, leadIntegration.listId)) as Member[];
      const before = await flags();
      for (const member of listed) expect(member.emailBlacklisted ?? false).toBe(before.get(member.attributes.EXT_ID as string));
      const [inSalesforce, inBrevo] = listed.filter((member) => !member.emailBlacklisted);
      await h.conn.sobject('Lead').update({ Id: inSalesforce!.attributes.EXT_ID as string, HasOptedOutOfEmail: true });
      await h.client.contacts.updateContact({ identifier: String(inBrevo!.id), identifierType: 'contact_id', emailBlacklisted: true });
      await h.brevo.deliveries.idle();
      const first = await runIntegration(leadIntegration, engineDeps(h));
      expect(first.brevoToSalesforce.operations).toBe(1);
      expect(first.salesforceToBrevo?.operations).toBe(1);
      expect((await flags()).get(inBrevo!.attributes.EXT_ID as string)).toBe(true);
      const blocklisted = await h.client.contacts.getContactInfo({ identifier: String(inSalesforce!.id), identifierType: 'contact_id' });
      expect(blocklisted.emailBlacklisted).toBe(true);
      await h.brevo.deliveries.idle();
      expectNothingMore(await runIntegration(leadIntegration, engineDeps(h)));
    } finally {
      await leads.stop();
    }
  });
});
