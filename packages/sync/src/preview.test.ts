import { toBrevoSmsNumber } from '@contact-sync/rules';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewIntegration } from './preview.ts';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, createIntegration, engineDeps, startHarness, type Harness } from './testing/harness.ts';

const database = useTestDatabase('sync_preview');
let harness: Harness;

beforeAll(async () => {
  // Set up and checked through Brevo's API: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  harness = await startHarness(database.connection.db!, BREVO_LIMITS_OFF_FOR_API_CHECKS);
});
afterAll(async () => {
  await harness.stop();
});

type Row = { Id: string; FirstName: string | null; LastName: string; Email: string | null; MobilePhone: string | null };

async function contacts(): Promise<Row[]> {
  return (await harness.conn.query<Row>('SELECT Id, FirstName, LastName, Email, MobilePhone FROM Contact ORDER BY SystemModstamp, Id', { autoFetch: true, maxFetch: 10_000 })).records;
}

/** Record errors of a run by code (errors only), as the preview's rejected by reason. */
async function rejectedByCode(runId: string): Promise<Record<string, number>> {
  const byCode: Record<string, number> = {};
  for (const error of await harness.store.errors.listForRun(runId)) if (error.severity === 'error') byCode[error.code] = (byCode[error.code] ?? 0) + 1;
  return byCode;
}

describe('preview (dry run)', () => {
  it('counts what the first run then counts, on an org with duplicates, records without email or SMS, a deleted record and contacts already in Brevo', async () => {
    const integration = await createIntegration(harness);
    const rows = await contacts();
    const withEmail = rows.filter((row) => row.Email?.endsWith('@example.com') && !row.LastName.includes('Shared'));
    // A record whose mobile Brevo accepts as an SMS number (many seeded ones are not international: R10).
    const mobile = rows
      .filter((row) => row.MobilePhone && row.Email !== withEmail[0]!.Email && row.Email !== withEmail[1]!.Email)
      .map((row) => toBrevoSmsNumber(row.MobilePhone!, {}, 'MobilePhone'))
      .find((sms) => sms.ok)!;
    // Already in Brevo before the integration exists: someone else's contact with a record's email (R15),
    // our own contact from an earlier integration (its ext_id: adopted), and a contact holding a record's mobile (R15).
    await harness.client.contacts.createContact({ email: withEmail[0]!.Email!, attributes: { FIRSTNAME: 'Someone else' } });
    await harness.client.contacts.createContact({ email: withEmail[1]!.Email!, ext_id: withEmail[1]!.Id, attributes: { FIRSTNAME: 'Ours' } });
    await harness.client.contacts.createContact({ email: 'mobile.owner@example.test', attributes: { SMS: mobile.ok ? mobile.value : '' } });

    harness.brevo.calls.reset();
    const preview = await previewIntegration(integration, { salesforce: harness.conn, brevo: harness.client, store: harness.store, sampleSize: 3 });
    // Read only: contacts listed, nothing written, nothing stored.
    expect(Object.keys(harness.brevo.calls.snapshot().byRoute ?? {}).every((route) => route.startsWith('GET'))).toBe(true);
    expect(await harness.store.links.count(integration.id)).toBe(0);
    expect(await harness.store.runs.list(integration.id)).toEqual([]);
    expect(await harness.store.state.find(integration.id)).toBeNull();

    // The seeded cases are there, so the equality below means something.
    expect(preview.rejectedByReason.duplicate).toBe(3);
    expect(preview.rejectedByReason.phone_invalid_characters).toBeGreaterThanOrEqual(1);
    expect(preview.counts.noEmailOrSms).toBeGreaterThanOrEqual(2);
    expect(preview.counts.skippedUnchanged).toBeGreaterThanOrEqual(1);
    expect(preview.samples.create).toHaveLength(3);
    expect(preview.samples.rejected[0]!.issues![0]).toHaveProperty('messageKey');

    const run = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(run.end).toBe('completed');
    expect(preview.counts).toEqual(run.counts);
    expect(preview.operations).toBe(run.operations);
    expect(preview.rejectedByReason).toEqual(await rejectedByCode(run.runId!));
    expect(preview.quotaShare).toBeCloseTo(run.operations / 100_000);

    // After the run, the next run has nothing to write, and the preview says so.
    const after = await previewIntegration(integration, { salesforce: harness.conn, brevo: harness.client, store: harness.store });
    const next = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(after.counts).toEqual(next.counts);
    expect(after.operations).toBe(0);
  });
});
