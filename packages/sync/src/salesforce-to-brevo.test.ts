import { findDuplicatesInBatch, indexFieldsByName, mapSalesforceRecordToBrevo, type SalesforceField } from '@contact-sync/rules';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrySalesforceRecords, syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, CONTACT_MAPPING, createIntegration, engineDeps, listMembers, startHarness, type Harness } from './testing/harness.ts';

const database = useTestDatabase('sync_s2b');
let harness: Harness;

beforeAll(async () => {
  // Set up and checked through Brevo's API between runs: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  harness = await startHarness(database.connection.db!, BREVO_LIMITS_OFF_FOR_API_CHECKS);
});
afterAll(async () => {
  await harness.stop();
});

type Row = { Id: string; SystemModstamp: string; IsDeleted: boolean } & Record<string, unknown>;

async function salesforceContacts(): Promise<Row[]> {
  const fields = ['Id', 'SystemModstamp', 'IsDeleted', ...Object.values(CONTACT_MAPPING)].join(', ');
  const result = await harness.conn.query<Row>(`SELECT ${fields} FROM Contact ORDER BY SystemModstamp, Id`, { autoFetch: true, maxFetch: 100_000 });
  return result.records;
}

/** What the rules say each live Contact becomes in Brevo (R10 rejects, R15 first claimant keeps an email, R5 skips records with neither email nor SMS). */
async function expectedContacts(): Promise<Map<string, { email?: string; sms?: string; attributes: Record<string, unknown> }>> {
  const describe = (await harness.conn.sobject('Contact').describe()) as unknown as { fields: SalesforceField[] };
  const fields = indexFieldsByName(describe.fields);
  const mapped = (await salesforceContacts()).map((row) => mapSalesforceRecordToBrevo(row, CONTACT_MAPPING, fields));
  const accepted = mapped.filter((change) => change.rejections.length === 0 && (change.email !== undefined || change.sms !== undefined));
  const duplicates = findDuplicatesInBatch(accepted.map((c) => ({ key: c.extId, ...(c.email ? { email: c.email } : {}), ...(c.sms ? { sms: c.sms } : {}) })));
  return new Map(accepted.filter((c) => !duplicates.has(c.extId)).map((c) => [c.extId, { ...(c.email ? { email: c.email } : {}), ...(c.sms ? { sms: c.sms } : {}), attributes: c.attributes }]));
}

describe('Salesforce → Brevo', () => {
  it('lands the initial load in the integration list exactly: same records, mapped values, ext_id', async () => {
    const integration = await createIntegration(harness);
    const result = await syncSalesforceToBrevo(integration, engineDeps(harness));
    expect(result.error).toBeUndefined();
    expect(result.end).toBe('completed');
    expect(result.initialLoad).toBe(true);

    const expected = await expectedContacts();
    const members = await listMembers(harness.client, integration.listId);
    expect(members.map((m) => m.attributes.EXT_ID).sort()).toEqual([...expected.keys()].sort());
    for (const member of members) {
      const want = expected.get(member.attributes.EXT_ID as string)!;
      expect(member.email).toBe(want.email);
      if (want.sms) expect(`+${String(member.attributes.SMS)}`).toBe(want.sms);
      for (const [name, value] of Object.entries(want.attributes)) {
        if (value === null) expect(member.attributes[name]).toBeUndefined();
        else expect(member.attributes[name]).toEqual(value);
      }
    }
    expect(expected.size).toBeGreaterThan(100);
    expect(result.counts.created).toBe(expected.size);
    expect(result.operations).toBe(expected.size);

    // Each rejected record is explained: R10 phones and R15 duplicates among the seeded edge cases.
    const errors = await harness.store.errors.listForRun(result.runId!);
    const codes = new Set(errors.filter((e) => e.severity === 'error').map((e) => e.code));
    expect(codes).toContain('duplicate');
    expect([...codes].some((code) => code.startsWith('phone_'))).toBe(true);
    const letty = (await salesforceContacts()).find((row) => row.LastName === 'Letters')!;
    expect(errors.find((e) => e.salesforceId === letty.Id)).toMatchObject({
      rule: 'R10',
      field: 'MobilePhone',
      severity: 'error',
      fixHintKey: 'rules.fix.phone_invalid_characters',
      // Who the record is, mapped or not: the marketer finds them by name or email.
      contact: { name: 'Letty Letters', email: 'letty.letters@example.com' },
    });
    // R5: neither email nor SMS, not sent and not charged: a warning with the reason and the fix.
    const ned = (await salesforceContacts()).find((row) => row.LastName === 'Nothing')!;
    expect(errors.find((e) => e.salesforceId === ned.Id)).toMatchObject({ code: 'no_email_or_sms', severity: 'warning', field: 'Email', fixHintKey: 'rules.fix.no_email_or_sms', retryable: false });
    expect(result.counts.noEmailOrSms).toBeGreaterThanOrEqual(1);
    const sue = (await salesforceContacts()).find((row) => row.FirstName === 'Sue' && row.LastName === 'Shared')!;
    expect(errors.find((e) => e.salesforceId === sue.Id)).toMatchObject({ rule: 'R15', code: 'duplicate' });


    const run = await harness.store.runs.get(result.runId!);
    expect(run).toMatchObject({ status: 'succeeded', operationsCharged: expected.size, counts: { created: expected.size } });
    expect(run!.progress.done).toBe(run!.progress.total);
  });

  it("closes a record's errors once a later run deals with it: fixed, it is written and its error is history", async () => {
    const integration = await createIntegration(harness);
    const deps = engineDeps(harness);
    await syncSalesforceToBrevo(integration, deps);
    const letty = (await salesforceContacts()).find((row) => row.LastName === 'Letters')!;
    const openFor = async (id: string) => (await harness.store.errors.open(integration.id, 10_000)).filter((e) => e.salesforceId === id);
    expect((await openFor(letty.Id)).map((e) => e.code)).toEqual(['phone_invalid_characters']);

    await harness.conn.sobject('Contact').update({ Id: letty.Id, MobilePhone: '+39 333 765 4321' });
    try {
      const next = await syncSalesforceToBrevo(integration, deps);
      expect(next.counts.created).toBe(1);
      expect(await openFor(letty.Id)).toEqual([]);
    } finally {
      // The org is shared by this file's tests.
      await harness.conn.sobject('Contact').update({ Id: letty.Id, MobilePhone: letty.MobilePhone as string });
    }
  });

  it('carries an edit, a bulk email change (R14) and a delete (R13) on the next run; unchanged records cost nothing', async () => {
    const integration = await createIntegration(harness);
    const deps = engineDeps(harness);
    await syncSalesforceToBrevo(integration, deps);
    const before = new Map((await listMembers(harness.client, integration.listId)).map((m) => [m.attributes.EXT_ID as string, m]));

    // Nothing changed: no write, no operation, one query call.
    harness.salesforce.calls.reset();
    harness.brevo.calls.reset();
    const idle = await syncSalesforceToBrevo(integration, deps);
    expect(idle).toMatchObject({ end: 'completed', initialLoad: false, operations: 0 });
    expect(idle.counts.read).toBe(0);
    expect(harness.brevo.calls.snapshot().total).toBe(0);
    expect(harness.salesforce.calls.snapshot().total).toBeLessThanOrEqual(2);

    const linked = [...before.keys()];
    const [edited, ...rest] = linked;
    const emailChanged = rest.slice(0, 25);
    const deleted = rest[30]!;
    await harness.conn.sobject('Contact').update({ Id: edited!, FirstName: 'Renamed', MailingCity: 'Torino' });
    await harness.conn.sobject('Contact').update(emailChanged.map((Id, i) => ({ Id, Email: `moved.${i}@new-domain.test` })));
    await harness.conn.sobject('Contact').destroy(deleted);

    const next = await syncSalesforceToBrevo(integration, deps);
    expect(next.error).toBeUndefined();
    expect(next.counts).toMatchObject({ read: 27, updated: 26, deleted: 1, created: 0 });
    expect(next.operations).toBe(27);

    const after = new Map((await listMembers(harness.client, integration.listId)).map((m) => [m.attributes.EXT_ID as string, m]));
    expect(after.get(edited!)!.attributes).toMatchObject({ FIRSTNAME: 'Renamed', CITY: 'Torino' });
    emailChanged.forEach((id, i) => {
      // Same Brevo contact (linked by ext_id), new email.
      expect(after.get(id)!.id).toBe(before.get(id)!.id);
      expect(after.get(id)!.email).toBe(`moved.${i}@new-domain.test`);
    });
    // R13: out of the list and unlinked, but the Brevo contact stays.
    expect(after.has(deleted)).toBe(false);
    const kept = await harness.client.contacts.getContactInfo({ identifier: String(before.get(deleted)!.id), identifierType: 'contact_id' });
    expect(kept.attributes).not.toHaveProperty('EXT_ID');
    expect(await harness.store.links.findBySalesforceIds(integration.id, [deleted])).toEqual(new Map());
    expect(after.size).toBe(before.size - 1);
  });

  it('keeps Brevo\'s phone when Salesforce empties it (R11) and Brevo\'s email when Salesforce empties it (R14), syncing the other fields', async () => {
    const integration = await createIntegration(harness);
    const deps = engineDeps(harness);
    await syncSalesforceToBrevo(integration, deps);
    const members = await listMembers(harness.client, integration.listId);
    const withSms = members.find((m) => typeof m.attributes.SMS === 'string' && m.email)!;
    const id = withSms.attributes.EXT_ID as string;
    await harness.conn.sobject('Contact').update({ Id: id, MobilePhone: null, Email: null, Title: 'Chief Emptier' } as never);

    const result = await syncSalesforceToBrevo(integration, deps);
    expect(result.counts.updated).toBe(1);
    const contact = (await listMembers(harness.client, integration.listId)).find((m) => m.attributes.EXT_ID === id)!;
    expect(contact.attributes.SMS).toBe(withSms.attributes.SMS);
    expect(contact.email).toBe(withSms.email);
    expect(contact.attributes.JOB_TITLE).toBe('Chief Emptier');
    const warnings = (await harness.store.errors.listForRun(result.runId!)).filter((e) => e.salesforceId === id);
    expect(warnings.map((w) => [w.code, w.rule, w.severity]).sort()).toEqual([
      ['email_emptied_kept', 'R14', 'warning'],
      ['phone_emptied_kept', 'R11', 'warning'],
    ]);
  });

  it('retries record errors on demand: a fixed record is written, a still-wrong one is explained again, the watermark stays', async () => {
    const integration = await createIntegration(harness);
    const first = await syncSalesforceToBrevo(integration, engineDeps(harness));
    const errors = (await harness.store.errors.listForRun(first.runId!)).filter((e) => e.code === 'phone_invalid_characters' || e.code === 'phone_digits_out_of_range');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    const [fixed, stillWrong] = errors.map((e) => e.salesforceId!);
    await harness.conn.sobject('Contact').update({ Id: fixed!, MobilePhone: '+33 6 12 34 56 78' });
    const watermark = await harness.store.state.get(integration.id);

    const retry = await retrySalesforceRecords(integration, [fixed!, stillWrong!], engineDeps(harness));
    expect(retry.counts).toMatchObject({ read: 2, created: 1, rejected: 1 });
    const members = await listMembers(harness.client, integration.listId);
    expect(members.find((m) => m.attributes.EXT_ID === fixed)?.attributes.SMS).toBe('33612345678');
    expect((await harness.store.errors.listForRun(retry.runId!)).map((e) => e.salesforceId)).toEqual([stillWrong]);
    const after = await harness.store.state.get(integration.id);
    expect([after.watermarkTs, after.watermarkId]).toEqual([watermark.watermarkTs, watermark.watermarkId]);
  });

  it('a long run gives way between chunks when asked: it commits its chunk, asks for its continuation, which ends exactly, quota once', async () => {
    // More than one query page (200 at least, Salesforce's smallest batchSize) of Contacts.
    const generated = await fetch(`${harness.salesforce.url}/__sandbox/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'Contact', count: 300, stamps: 'past' }) });
    expect(generated.status).toBe(201);
    const integration = await createIntegration(harness);
    const options = { pageSize: 200, chunkSize: 200 };
    let asked = 0;
    const yielded = await syncSalesforceToBrevo(integration, engineDeps(harness, { options, shouldYield: async () => (asked += 1) > 0 }));
    expect(yielded.end).toBe('yielded');
    expect([asked, yielded.counts.read]).toEqual([1, 200]);
    const state = await harness.store.state.get(integration.id);
    expect(state.initialLoadDone).toBe(false);
    expect(state.watermarkId).not.toBeNull();
    expect(await harness.store.state.syncRequests()).toContainEqual(expect.objectContaining({ integrationId: integration.id, trigger: 'continuation' }));

    const continued = await syncSalesforceToBrevo(integration, engineDeps(harness, { options, trigger: 'continuation' }));
    expect(continued.end).toBe('completed');
    expect((await harness.store.state.get(integration.id)).initialLoadDone).toBe(true);
    const expected = await expectedContacts();
    const members = await listMembers(harness.client, integration.listId);
    expect(members.map((m) => m.attributes.EXT_ID).sort()).toEqual([...expected.keys()].sort());
    expect(await harness.store.quota.used(integration.id, new Date().toISOString().slice(0, 7))).toBe(expected.size);
  });

  it("saves a chunk's links while the next chunk is imported: a held chunk does not wait for them, its commit does; one chunk's at a time", async () => {
    // Three chunks of created records at least before the org's newest (its deleted records among them, which wait for links).
    const generated = await fetch(`${harness.salesforce.url}/__sandbox/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'Contact', count: 400, stamps: 'past' }) });
    expect(generated.status).toBe(201);
    const integration = await createIntegration(harness);
    const order: string[] = [];
    // The first chunk's links are held back until the third chunk's import is made, or for 3 s: the second chunk is
    // imported meanwhile, the third only once the first chunk's links are saved (the order below tells).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const links = new Proxy(harness.store.links, {
      get(target, name) {
        if (name === 'upsertMany') {
          return async (...args: Parameters<typeof target.upsertMany>) => {
            if (!held) {
              held = true;
              await Promise.race([released, new Promise((resolve) => setTimeout(resolve, 3_000))]);
            }
            return target.upsertMany(...args);
          };
        }
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const result = await syncSalesforceToBrevo(
      integration,
      engineDeps(harness, {
        store: { ...harness.store, links },
        options: { pageSize: 200, chunkSize: 200 },
        checkpoint: (at, chunk) => {
          if (chunk > 2 || (at !== 'brevo-written' && at !== 'links-saved' && at !== 'settled')) return;
          order.push(`${at} ${chunk}`);
          if (at === 'brevo-written' && chunk === 2) release();
        },
      }),
    );
    expect(result.error).toBeUndefined();
    expect(result.end).toBe('completed');
    const at = (step: string) => {
      expect(order).toContain(step);
      return order.indexOf(step);
    };
    expect(at('brevo-written 1')).toBeLessThan(at('links-saved 0'));
    expect(at('links-saved 0')).toBeLessThan(at('brevo-written 2'));
    // Committed (quota settled) only once every held chunk's links are saved.
    expect(at('settled 0')).toBeGreaterThan(Math.max(at('links-saved 0'), at('links-saved 1')));

    const expected = await expectedContacts();
    const members = await listMembers(harness.client, integration.listId);
    expect(members.map((m) => m.attributes.EXT_ID).sort()).toEqual([...expected.keys()].sort());
    expect(await harness.store.links.count(integration.id)).toBe(expected.size);
    expect(await harness.store.quota.used(integration.id, new Date().toISOString().slice(0, 7))).toBe(expected.size);
    expect((await harness.store.state.get(integration.id)).initialLoadDone).toBe(true);
  }, 60_000);

  describe('a run interrupted in the middle of an initial load, then resumed', () => {
    const points = ['planned', 'reserved', 'brevo-written', 'links-saved', 'settled', 'watermark-advanced'] as const;
    for (const point of points) {
      it(`ends with the exact list, no duplicates and quota counted once (crash after "${point}" of the first chunk)`, async () => {
        const integration = await createIntegration(harness);
        const options = { pageSize: 200, chunkSize: 100 };
        const crash = await syncSalesforceToBrevo(
          integration,
          engineDeps(harness, {
            options,
            checkpoint: (at, chunk) => {
              if (at === point && chunk === 0) throw new Error(`simulated crash after ${at}`);
            },
          }),
        );
        expect(crash.end).toBe('failed');

        const resumed = await syncSalesforceToBrevo(integration, engineDeps(harness, { options }));
        expect(resumed.error).toBeUndefined();
        expect(resumed.end).toBe('completed');

        const expected = await expectedContacts();
        const members = await listMembers(harness.client, integration.listId);
        expect(members.map((m) => m.attributes.EXT_ID).sort()).toEqual([...expected.keys()].sort());
        // No duplicate contact anywhere in the account for our records.
        const all = await harness.client.contacts.getContacts({ limit: 1000 });
        const extIds = (all.contacts ?? []).map((c) => (c.attributes as Record<string, unknown>).EXT_ID).filter((x) => typeof x === 'string');
        expect(new Set(extIds).size).toBe(extIds.length);
        expect(await harness.store.links.count(integration.id)).toBe(expected.size);
        const month = new Date().toISOString().slice(0, 7);
        expect(await harness.store.quota.used(integration.id, month)).toBe(expected.size);
      });
    }
  });
});

