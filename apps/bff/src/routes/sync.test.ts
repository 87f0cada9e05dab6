import { createIssue, RuleCode } from '@contact-sync/rules';
import { createSyncStore, integrationRepository, type SyncStore } from '@contact-sync/store';
import { recordErrorOf } from '@contact-sync/sync';
import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, useTestBff } from '../test-support.ts';

const db = useTestDatabase('bff_sync_routes');
const bff = useTestBff(db);
let token: string;
let store: SyncStore;
let activeId: string;
let draftId: string;

const MAPPING = { EMAIL: 'Email', SMS: 'MobilePhone', LANDLINE_NUMBER: 'Phone', FIRSTNAME: 'FirstName', LASTNAME: 'LastName' };

async function readyDraft(name: string): Promise<string> {
  const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name });
  const id = created.body.id as string;
  await connectSalesforce(bff, token, id);
  await request(bff.app).put(`/api/v1/integrations/${id}/consent`).set(bearer(token)).send({ optIn: true });
  expect((await request(bff.app).put(`/api/v1/integrations/${id}/mapping`).set(bearer(token)).send({ mapping: MAPPING })).status).toBe(200);
  const list = await request(bff.app).post('/api/v1/brevo/lists').set(bearer(token)).send({ name: `List ${name}` });
  expect((await request(bff.app).put(`/api/v1/integrations/${id}/list`).set(bearer(token)).send({ listId: list.body.id })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  token = await bff.token();
  store = createSyncStore(db.connection.db!);
  draftId = await readyDraft('Preview me');
  activeId = await readyDraft('Running');
  expect((await request(bff.app).post(`/api/v1/integrations/${activeId}/activate`).set(bearer(token))).status).toBe(200);
});

describe('GET /api/v1/integrations/:id/preview', () => {
  it('dry-runs the seeded org: creates, rejected by reason, samples, quota share; writes nothing', async () => {
    bff.facts.quota.set(draftId, { used: 1_000, limit: 100_000 });
    const response = await request(bff.app).get(`/api/v1/integrations/${draftId}/preview`).set(bearer(token));
    expect(response.status).toBe(200);
    const preview = response.body;
    const byCode = Object.fromEntries((preview.rejected as { code: string; count: number }[]).map((reason) => [reason.code, reason.count]));
    // The seed's edge cases: a 5- and a 17-digit phone (the latter in Phone and MobilePhone), letters in a mobile, two contacts sharing an email.
    expect(byCode).toMatchObject({ phone_digits_out_of_range: 3, phone_invalid_characters: 1, duplicate: 1 });
    // Contacts without an email are not rejected: those with neither email nor SMS are not sent (R5, a warning that costs nothing).
    expect(Object.keys(byCode).filter((code) => code.startsWith('email'))).toEqual([]);
    expect(preview.noEmailOrSms).toBeGreaterThan(0);
    // Each reason reads as the message of one such record, parameters included.
    for (const reason of preview.rejected) {
      expect(reason.messageKey).toMatch(/^rules\./);
      expect(reason.params).toHaveProperty('field');
    }
    expect(preview.rejected.find((r: { code: string }) => r.code === 'phone_not_international')?.params).toHaveProperty('field', 'MobilePhone');

    expect(preview.read).toBeGreaterThan(150);
    // Every record read is counted once; the one in the recycle bin has nothing to unlink.
    expect(preview.toCreate + preview.rejectedRecords + preview.noEmailOrSms + preview.unchanged).toBe(preview.read);
    expect(preview.unchanged).toBe(1);
    expect(preview.toUpdate).toBe(0);
    expect(preview.operations).toBe(preview.toCreate);
    expect(preview.quotaShare).toBeCloseTo(preview.operations / 100_000);
    expect(preview.exceedsQuota).toBe(false);
    expect(preview.quota).toMatchObject({ used: 1_000, limit: 100_000 });
    expect(preview.samples.create).toHaveLength(10);
    expect(preview.samples.create[0].values.attributes).toHaveProperty('FIRSTNAME');
    expect(preview.samples.rejected[0].issues[0]).toHaveProperty('code');

    expect(await store.links.count(draftId)).toBe(0);
    expect(await store.runs.list(draftId)).toEqual([]);
    expect(await store.state.find(draftId)).toBeNull();
  });

  it('rejects (linked_other_org) the records an integration of the account on another Salesforce org links; never by another account’s links or its own org’s', async () => {
    const before = (await request(bff.app).get(`/api/v1/integrations/${draftId}/preview`).set(bearer(token))).body;
    const ids = (before.samples.create as { salesforceId: string }[]).map((sample) => sample.salesforceId);
    expect(ids.length).toBeGreaterThanOrEqual(7);
    const repo = integrationRepository(db.connection, bff.secrets);
    const onOrg = async (accountId: string, name: string, orgId: string) => {
      const id = (await repo.create({ accountId, kind: 'salesforce-contacts', name }))._id.toHexString();
      const connection = { orgId, userId: '005FULLCOPY', username: 'copy@acme.test', displayName: 'Copy', instanceUrl: 'http://sf.test', accessToken: 'a', refreshToken: 'r' };
      await repo.setSalesforceConnection(accountId, id, connection, new Date());
      return id;
    };
    const linksOf = (integrationId: string, salesforceIds: string[]) =>
      salesforceIds.map((salesforceId, index) => ({ integrationId, salesforceId, brevoId: 900_000 + index, values: { attributes: {} }, hash: 'h', lastWrittenAt: new Date() }));
    // The account's full-copy sandbox (another org, the same Ids) links three; another account's integration, and an
    // integration of this account on the same org (its own records: no conflict of Ids), link others.
    const fullCopy = await onOrg('acc_demo', 'Full copy', '00DFULLCOPY00000AAA');
    const elsewhere = await onOrg('acc_elsewhere', 'Another account', '00DFULLCOPY00000AAA');
    await store.links.upsertMany([...linksOf(fullCopy, ids.slice(0, 3)), ...linksOf(elsewhere, ids.slice(3, 5)), ...linksOf(activeId, ids.slice(5, 7))]);
    try {
      const response = await request(bff.app).get(`/api/v1/integrations/${draftId}/preview`).set(bearer(token));
      expect(response.status).toBe(200);
      const byCode = Object.fromEntries((response.body.rejected as { code: string; count: number }[]).map((reason) => [reason.code, reason.count]));
      expect(byCode.linked_other_org).toBe(3);
      expect(response.body.rejected.find((reason: { code: string }) => reason.code === 'linked_other_org')).toMatchObject({ messageKey: 'rules.sync.linkedOtherOrg' });
      expect(response.body.toCreate).toBe(before.toCreate - 3);
      expect(response.body.rejectedRecords).toBe(before.rejectedRecords + 3);
      expect(response.body.operations).toBe(before.operations - 3);
    } finally {
      await store.links.removeIntegration(fullCopy);
      await store.links.removeIntegration(elsewhere);
      await store.links.removeMany(activeId, ids.slice(5, 7));
      await repo.delete('acc_demo', fullCopy);
      await repo.delete('acc_elsewhere', elsewhere);
    }
  });

  it('says the quota would not suffice', async () => {
    bff.facts.quota.set(draftId, { used: 99_990, limit: 100_000 });
    const response = await request(bff.app).get(`/api/v1/integrations/${draftId}/preview`).set(bearer(token));
    expect(response.body.exceedsQuota).toBe(true);
    bff.facts.quota.delete(draftId);
  });

  it('answers 409 integration_incomplete with the next step before a mapping exists', async () => {
    const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'Bare' });
    const response = await request(bff.app).get(`/api/v1/integrations/${created.body.id}/preview`).set(bearer(token));
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'integration_incomplete', details: { nextStep: 'connect' } });
  });

  it('answers 404 for an unknown integration and 401 without a token', async () => {
    expect((await request(bff.app).get('/api/v1/integrations/000000000000000000000000/preview').set(bearer(token))).status).toBe(404);
    expect((await request(bff.app).get(`/api/v1/integrations/${draftId}/preview`)).status).toBe(401);
  });
});

describe('POST /api/v1/integrations/:id/sync', () => {
  it('stores a request the worker turns into an immediate run, and answers 202 with the integration', async () => {
    const before = new Date();
    const response = await request(bff.app).post(`/api/v1/integrations/${activeId}/sync`).set(bearer(token));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id: activeId, status: 'active' });
    const requests = await store.state.syncRequests();
    const mine = requests.find((r) => r.integrationId === activeId);
    expect(mine?.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
  });

  it('refuses a draft or a paused integration with 409 invalid_state and stores nothing', async () => {
    const draft = await request(bff.app).post(`/api/v1/integrations/${draftId}/sync`).set(bearer(token));
    expect(draft.status).toBe(409);
    expect(draft.body.error).toMatchObject({ code: 'invalid_state', details: { status: 'draft' } });
    expect((await store.state.syncRequests()).map((r) => r.integrationId)).not.toContain(draftId);

    const pausedId = await readyDraft('To pause');
    await request(bff.app).post(`/api/v1/integrations/${pausedId}/activate`).set(bearer(token));
    await request(bff.app).post(`/api/v1/integrations/${pausedId}/pause`).set(bearer(token));
    const paused = await request(bff.app).post(`/api/v1/integrations/${pausedId}/sync`).set(bearer(token));
    expect(paused.status).toBe(409);
    expect(paused.body.error.details).toEqual({ status: 'paused' });
    expect((await store.state.syncRequests()).map((r) => r.integrationId)).not.toContain(pausedId);
  });

  it('answers 404 for an unknown integration', async () => {
    expect((await request(bff.app).post('/api/v1/integrations/000000000000000000000000/sync').set(bearer(token))).status).toBe(404);
  });
});

describe('GET /api/v1/integrations/:id/runs', () => {
  it('pages the runs newest first with counts, operations, status and progress', async () => {
    const t0 = Date.UTC(2026, 10, 27, 10, 0, 0);
    const first = await store.runs.start(activeId, 'salesforce_to_brevo', true, new Date(t0), 'activation');
    await store.runs.addPage(first._id, { read: 20, created: 12, skippedUnchanged: 5, rejected: 3 }, 12, { done: 20, total: 20 });
    await store.runs.finish(first._id, 'succeeded', new Date(t0 + 4_000));
    const second = await store.runs.start(activeId, 'brevo_to_salesforce', false, new Date(t0 + 60_000));
    await store.runs.finish(second._id, 'failed', new Date(t0 + 61_000), { code: 'sync_failed', message: 'Salesforce answered 500' });
    const third = await store.runs.start(activeId, 'salesforce_to_brevo', false, new Date(t0 + 120_000));
    await store.runs.addPage(third._id, { read: 5 }, 0, { done: 5, total: 40 });

    const page = await request(bff.app).get(`/api/v1/integrations/${activeId}/runs`).set(bearer(token));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 3, offset: 0, limit: 10 });
    expect(page.body.runs.map((run: { id: string }) => run.id)).toEqual([third._id, second._id, first._id]);
    expect(page.body.runs[0]).toMatchObject({ status: 'running', finishedAt: null, progress: { done: 5, total: 40 } });
    expect(page.body.runs[1]).toMatchObject({ direction: 'brevo_to_salesforce', trigger: 'schedule', status: 'failed', outcome: { code: 'sync_failed' } });
    expect(page.body.runs[2]).toEqual({
      id: first._id,
      direction: 'salesforce_to_brevo',
      initialLoad: true,
      trigger: 'activation',
      status: 'succeeded',
      startedAt: new Date(t0).toISOString(),
      finishedAt: new Date(t0 + 4_000).toISOString(),
      counts: { read: 20, created: 12, updated: 0, deleted: 0, skipped: 5, noEmailOrSms: 0, rejected: 3, failed: 0, leftList: 0, notMatching: 0 },
      operations: 12,
      progress: { done: 20, total: 20 },
      outcome: null,
    });

    const paged = await request(bff.app).get(`/api/v1/integrations/${activeId}/runs?offset=1&limit=1`).set(bearer(token));
    expect(paged.body).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(paged.body.runs.map((run: { id: string }) => run.id)).toEqual([second._id]);
  });

  it('answers 422 for a bad page and 404 for an unknown integration', async () => {
    const bad = await request(bff.app).get(`/api/v1/integrations/${activeId}/runs?limit=51`).set(bearer(token));
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await request(bff.app).get('/api/v1/integrations/000000000000000000000000/runs').set(bearer(token))).status).toBe(404);
  });

  it('is empty for an integration that never ran', async () => {
    const response = await request(bff.app).get(`/api/v1/integrations/${draftId}/runs`).set(bearer(token));
    expect(response.body).toEqual({ runs: [], total: 0, offset: 0, limit: 10 });
  });
});

describe('GET /api/v1/integrations/:id/record-errors', () => {
  it('pages the record errors newest first with rule code, message, fix hint and whether a retry can help', async () => {
    const context = { integrationId: activeId, runId: 'run-1', direction: 'salesforce_to_brevo' as const, object: 'Contact' };
    const older = new Date(Date.UTC(2026, 10, 27, 9, 0, 0));
    const newer = new Date(older.getTime() + 60_000);
    await store.errors.addMany([
      recordErrorOf(createIssue(RuleCode.PhoneDigitsOutOfRange, 'MobilePhone', { min: 6, max: 16, digits: 3 }), 'error', {
        ...context,
        salesforceId: '003000000000001AAA',
        contact: { name: 'Penny Shortphone', email: 'penny@example.com' },
        at: older,
      }),
      recordErrorOf(createIssue(RuleCode.Duplicate, 'Email', { attribute: 'EMAIL' }), 'error', { ...context, salesforceId: '003000000000002AAA', at: newer }),
      recordErrorOf(createIssue(RuleCode.TextTooLong, 'FirstName', { max: 40 }), 'error', {
        ...context,
        direction: 'brevo_to_salesforce',
        salesforceId: '003000000000003AAA',
        brevoId: 17,
        at: new Date(older.getTime() - 60_000),
      }),
    ]);

    const page = await request(bff.app).get(`/api/v1/integrations/${activeId}/record-errors`).set(bearer(token));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 3, offset: 0, limit: 10, truncated: false });
    expect(page.body.recordErrors.map((e: { salesforceId: string }) => e.salesforceId)).toEqual(['003000000000002AAA', '003000000000001AAA', '003000000000003AAA']);
    const [duplicate, phone, tooLong] = page.body.recordErrors;
    expect(duplicate).toMatchObject({ code: 'duplicate', rule: 'R15', retryable: true, fixHintKey: 'rules.fix.duplicate', occurredAt: newer.toISOString() });
    expect(phone).toMatchObject({
      runId: 'run-1',
      direction: 'salesforce_to_brevo',
      object: 'Contact',
      salesforceId: '003000000000001AAA',
      brevoId: null,
      field: 'MobilePhone',
      code: 'phone_digits_out_of_range',
      rule: 'R10',
      messageKey: 'rules.phone.digitsOutOfRange',
      params: { field: 'MobilePhone', min: 6, max: 16, digits: 3 },
      severity: 'error',
      fixHintKey: 'rules.fix.phone_digits_out_of_range',
      retryable: false,
      contact: { name: 'Penny Shortphone', email: 'penny@example.com' },
    });
    // The record in the org it came from (the sandbox's instance URL).
    expect(phone.salesforceUrl).toBe(`${bff.salesforce.url}/003000000000001AAA`);
    expect(duplicate.contact).toBeNull();
    expect(phone.id).toMatch(/^[a-f0-9]{24}$/);
    expect(tooLong).toMatchObject({ direction: 'brevo_to_salesforce', brevoId: 17, code: 'text_too_long', rule: 'R9' });

    const paged = await request(bff.app).get(`/api/v1/integrations/${activeId}/record-errors?offset=2&limit=5`).set(bearer(token));
    expect(paged.body.recordErrors.map((e: { id: string }) => e.id)).toEqual([tooLong.id]);
  });

  it('groups the open errors by cause, each record once, finds them by name, email or id, and leaves out the ones a later run dealt with', async () => {
    const integrationId = await readyDraft('Grouped');
    const context = { integrationId, runId: 'run-2', direction: 'salesforce_to_brevo' as const, object: 'Contact' };
    const at = new Date(Date.UTC(2026, 10, 27, 10, 0, 0));
    const duplicate = (n: number, minutes: number) =>
      recordErrorOf(createIssue(RuleCode.Duplicate, 'Email', { attribute: 'EMAIL' }), 'error', {
        ...context,
        salesforceId: `00300000000000${n}AAA`,
        contact: { name: `Sam Shared ${n}`, email: `shared${n}@example.com` },
        at: new Date(at.getTime() + minutes * 60_000),
      });
    await store.errors.addMany([
      duplicate(1, 0), duplicate(2, 1), duplicate(3, 2), duplicate(4, 3),
      // Record 1 again in a later run: still one record of that cause.
      duplicate(1, 10),
      recordErrorOf(createIssue(RuleCode.PhoneInvalidCharacters, 'MobilePhone'), 'error', { ...context, salesforceId: '003000000000009AAA', contact: { name: 'Letty Letters', email: null }, at }),
    ]);
    const url = `/api/v1/integrations/${integrationId}/record-errors`;
    const page = await request(bff.app).get(url).set(bearer(token));
    expect(page.body.total).toBe(5);
    expect(page.body.groups).toEqual([
      expect.objectContaining({ code: 'duplicate', count: 4, retryable: true, severity: 'error', messageKey: 'rules.duplicate', fixHintKey: 'rules.fix.duplicate' }),
      expect.objectContaining({ code: 'phone_invalid_characters', count: 1, retryable: false }),
    ]);

    const byEmail = await request(bff.app).get(`${url}?q=SHARED3@`).set(bearer(token));
    expect(byEmail.body.recordErrors.map((e: { salesforceId: string }) => e.salesforceId)).toEqual(['003000000000003AAA']);
    const byName = await request(bff.app).get(`${url}?q=letty`).set(bearer(token));
    expect(byName.body.recordErrors.map((e: { code: string }) => e.code)).toEqual(['phone_invalid_characters']);
    const byCause = await request(bff.app).get(`${url}?code=duplicate&limit=2`).set(bearer(token));
    expect(byCause.body).toMatchObject({ total: 4, limit: 2 });
    // The groups are always every open cause, whatever the search.
    expect(byName.body.groups).toHaveLength(2);

    // A later run wrote record 2 (or found it wrong again): its earlier error is history.
    await store.errors.resolve(integrationId, 'salesforce_to_brevo', ['003000000000002AAA'], new Date(at.getTime() + 20 * 60_000));
    const after = await request(bff.app).get(url).set(bearer(token));
    expect(after.body.groups[0]).toMatchObject({ code: 'duplicate', count: 3 });
    expect(after.body.recordErrors.map((e: { salesforceId: string }) => e.salesforceId)).not.toContain('003000000000002AAA');

    expect((await request(bff.app).get(`${url}?limit=501`).set(bearer(token))).status).toBe(422);
    expect((await request(bff.app).get(`${url}?code=DROP%20TABLE`).set(bearer(token))).status).toBe(422);
  });

  it("shows only the integration's own errors, and answers 404 for an unknown integration", async () => {
    expect((await request(bff.app).get(`/api/v1/integrations/${draftId}/record-errors`).set(bearer(token))).body).toEqual({ recordErrors: [], total: 0, offset: 0, limit: 10, groups: [], truncated: false });
    expect((await request(bff.app).get('/api/v1/integrations/000000000000000000000000/record-errors').set(bearer(token))).status).toBe(404);
  });
});

describe('POST /api/v1/integrations/:id/record-errors/retry', () => {
  it('marks the Salesforce records of retryable Salesforce → Brevo errors for the next run and asks for it now (202)', async () => {
    await store.state.takeSyncRequest(activeId, (await store.state.syncRequests()).find((r) => r.integrationId === activeId)!.at);
    const response = await request(bff.app).post(`/api/v1/integrations/${activeId}/record-errors/retry`).set(bearer(token));
    expect(response.status).toBe(202);
    // From the record errors above: the duplicate is retried; the phone rejection (R10: the data must change)
    // and the Brevo → Salesforce error (a fix in Brevo arrives by webhook) are not.
    expect(response.body).toEqual({ requested: 1 });
    expect(await store.state.retryRequests(activeId)).toEqual(['003000000000002AAA']);
    expect((await store.state.syncRequests()).map((r) => r.integrationId)).toContain(activeId);

    // Asked twice before a run: still one record to retry.
    await request(bff.app).post(`/api/v1/integrations/${activeId}/record-errors/retry`).set(bearer(token));
    expect(await store.state.retryRequests(activeId)).toEqual(['003000000000002AAA']);
    // One cause only: a cause no retry can help asks for nothing.
    const phoneOnly = await request(bff.app).post(`/api/v1/integrations/${activeId}/record-errors/retry?code=phone_digits_out_of_range`).set(bearer(token));
    expect(phoneOnly.body).toEqual({ requested: 0 });
    const duplicates = await request(bff.app).post(`/api/v1/integrations/${activeId}/record-errors/retry?code=duplicate`).set(bearer(token));
    expect(duplicates.body).toEqual({ requested: 1 });
  });

  it('refuses outside active/error (409) and answers 404 for an unknown integration', async () => {
    const draft = await request(bff.app).post(`/api/v1/integrations/${draftId}/record-errors/retry`).set(bearer(token));
    expect(draft.status).toBe(409);
    expect(draft.body.error).toMatchObject({ code: 'invalid_state', details: { status: 'draft' } });
    expect(await store.state.find(draftId)).toBeNull();
    expect((await request(bff.app).post('/api/v1/integrations/000000000000000000000000/record-errors/retry').set(bearer(token))).status).toBe(404);
  });

  it('requests nothing when nothing is retryable', async () => {
    const quietId = await readyDraft('Quiet');
    await request(bff.app).post(`/api/v1/integrations/${quietId}/activate`).set(bearer(token));
    const response = await request(bff.app).post(`/api/v1/integrations/${quietId}/record-errors/retry`).set(bearer(token));
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ requested: 0 });
    expect(await store.state.retryRequests(quietId)).toEqual([]);
  });
});
