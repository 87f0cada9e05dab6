import { useTestDatabase } from '@contact-sync/testing';
import { quotaMonth } from '@contact-sync/rules';
import { watermarkOf } from '@contact-sync/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, createIntegration, engineDeps, listMembers, startHarness, type Harness } from './testing/harness.ts';

const database = useTestDatabase('sync_quota');
let harness: Harness;

beforeAll(async () => {
  // Checked through Brevo's API between runs: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  harness = await startHarness(database.connection.db!, BREVO_LIMITS_OFF_FOR_API_CHECKS);
});
afterAll(async () => {
  await harness.stop();
});

const inboxFor = (to: string) => harness.brevo.inbox.all().filter((email) => email.to.some((m) => m.email === to));

describe('monthly quota (R16)', () => {
  it('warns at 80% once, stops exactly at the limit with the watermark intact, and resumes without loss after a raise', async () => {
    const integration = await createIntegration(harness, { notificationEmail: 'quota-owner@acme.test' });
    const month = quotaMonth(new Date());
    await harness.store.quota.setLimit(integration.id, 100, 'support@test', new Date());
    const deps = engineDeps(harness, { options: { pageSize: 200, chunkSize: 100 } });

    const first = await syncSalesforceToBrevo(integration, deps);
    expect(first.end).toBe('quota_exceeded');
    expect(await harness.store.quota.used(integration.id, month)).toBe(100);
    expect(await listMembers(harness.client, integration.listId)).toHaveLength(100);
    expect(harness.statuses.current.get(integration.id)).toBe('disabled_quota');
    const mails = inboxFor('quota-owner@acme.test');
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('80%'), expect.stringContaining('quota reached')]);
    const stateAtLimit = await harness.store.state.get(integration.id);
    expect(stateAtLimit.initialLoadDone).toBe(false);

    // Still at the limit: nothing written, nothing charged, no second email, watermark where it was.
    const again = await syncSalesforceToBrevo(integration, deps);
    expect(again.end).toBe('quota_exceeded');
    expect(again.operations).toBe(0);
    expect(await harness.store.quota.used(integration.id, month)).toBe(100);
    expect(inboxFor('quota-owner@acme.test')).toHaveLength(2);
    expect(watermarkOf(await harness.store.state.get(integration.id))).toEqual(watermarkOf(stateAtLimit));

    // Support raises the quota; re-activation resumes where it stopped.
    await harness.store.quota.setLimit(integration.id, 1_000, 'support@test', new Date());
    const resumed = await syncSalesforceToBrevo(integration, deps);
    expect(resumed.end).toBe('completed');
    const members = await listMembers(harness.client, integration.listId);
    const links = await harness.store.links.list(integration.id);
    expect(members.map((m) => m.attributes.EXT_ID).sort()).toEqual(links.map((l) => l.salesforceId).sort());
    expect(members.length).toBeGreaterThan(100);
    expect(await harness.store.quota.used(integration.id, month)).toBe(members.length);
    expect(inboxFor('quota-owner@acme.test')).toHaveLength(2);
  });

  it('charges nothing for a run where nothing changed', async () => {
    const integration = await createIntegration(harness, { notificationEmail: null });
    const month = quotaMonth(new Date());
    const deps = engineDeps(harness);
    const first = await syncSalesforceToBrevo(integration, deps);
    const used = await harness.store.quota.used(integration.id, month);
    expect(used).toBe(first.counts.created);
    // A forced re-read of everything (watermark reset) finds every record unchanged: no call, no operation.
    await database.connection.db!.collection('sync_states').updateOne({ _id: integration.id as never }, { $set: { watermarkTs: null, watermarkId: null } });
    harness.brevo.calls.reset();
    const replay = await syncSalesforceToBrevo(integration, deps);
    // Every record is unchanged or still rejected (a duplicate of an existing Brevo contact is asked again, and fails again).
    expect(replay.counts.skippedUnchanged + replay.counts.noEmailOrSms + replay.counts.rejected + replay.counts.failed).toBe(replay.counts.read);
    expect(replay.counts.skippedUnchanged).toBeGreaterThan(100);
    expect(replay.counts.created + replay.counts.updated).toBe(0);
    expect(replay.operations).toBe(0);
    expect(harness.brevo.calls.snapshot().byRoute['POST /contacts/batch']).toBeUndefined();
    expect(await harness.store.quota.used(integration.id, month)).toBe(used);
  });
});
