import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, useTestBff } from './test-support.ts';

const db = useTestDatabase('bff_lifecycle');
const bff = useTestBff(db);

describe('integration lifecycle, through to activation', () => {
  it('creates a draft, connects Salesforce for real, consents, maps, picks a list and activates', async () => {
    const token = await bff.token();
    const api = () => request(bff.app);

    const session = await api().get('/api/v1/session').set(bearer(token));
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ accountId: 'acc_demo', plan: 'BrevoPlus', canActivate: true, brevoConfigured: true });

    const created = await api().post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: '  Leads EU  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Leads EU', status: 'draft', nextStep: 'connect', salesforce: null, mapping: null, list: null });
    const id = created.body.id as string;

    // Resuming the draft later finds it where it was.
    const listed = await api().get('/api/v1/integrations').set(bearer(token));
    expect(listed.body.integrations.map((i: { id: string }) => i.id)).toContain(id);

    const { outcome, relayed, authorizeUrl } = await connectSalesforce(bff, token, id);
    const authorize = new URL(authorizeUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(relayed).toEqual({ type: 'contact-sync:salesforce-authorized', state: authorize.searchParams.get('state'), code: expect.any(String), error: null });
    expect(outcome).toEqual({ ok: true });

    const connected = await api().get(`/api/v1/integrations/${id}`).set(bearer(token));
    expect(connected.body).toMatchObject({ nextStep: 'consent', salesforce: { username: 'demo@acme.test' } });
    expect(connected.body.salesforce.orgId).toMatch(/^00D/);

    const consent = await api().put(`/api/v1/integrations/${id}/consent`).set(bearer(token)).send({ optIn: true });
    expect(consent.status).toBe(200);
    expect(consent.body).toMatchObject({ nextStep: 'mapping', consent: { by: 'owner@acme.test' } });

    const options = await api().get(`/api/v1/integrations/${id}/mapping/options`).set(bearer(token));
    expect(options.status).toBe(200);
    expect(options.body.salesforceObject).toBe('Lead');
    expect(options.body.options[0].attribute.name).toBe('EMAIL');
    expect(options.body.options[0].eligibleFields).toContain('Email');
    const optIn = options.body.options.find((o: { attribute: { name: string } }) => o.attribute.name === 'OPT_IN');
    // A Yes/No attribute takes the object's checkboxes only; a category its picklists, whose values the user pairs.
    expect(optIn).toMatchObject({ kind: 'boolean', issue: null });
    expect(optIn.eligibleFields).toContain('HasOptedOutOfEmail');
    expect(optIn.eligibleFields).not.toContain('FirstName');
    const language = options.body.options.find((o: { attribute: { name: string } }) => o.attribute.name === 'LANGUAGE');
    expect(language).toMatchObject({ kind: 'category', attribute: { enumeration: expect.arrayContaining([{ value: 2, label: 'Italiano' }]) } });
    expect(options.body.salesforceFields.find((f: { name: string }) => f.name === 'LeadSource').picklistValues).toEqual(
      expect.arrayContaining([{ value: 'Web', label: 'Web', active: true }]),
    );
    expect(options.body.salesforceFields.find((f: { name: string }) => f.name === 'FirstName')).toMatchObject({ type: 'string', length: 40 });

    const mapping = { EMAIL: 'Email', FIRSTNAME: 'FirstName', LASTNAME: 'LastName', SMS: 'MobilePhone' };
    const mapped = await api().put(`/api/v1/integrations/${id}/mapping`).set(bearer(token)).send({ mapping });
    expect(mapped.status).toBe(200);
    expect(mapped.body).toMatchObject({ nextStep: 'list', mapping });

    const newList = await api().post('/api/v1/brevo/lists').set(bearer(token)).send({ name: 'Salesforce leads' });
    expect(newList.status).toBe(201);
    const lists = await api().get('/api/v1/brevo/lists?offset=0&limit=50').set(bearer(token));
    expect(lists.status).toBe(200);
    expect(lists.body.lists.map((l: { id: number }) => l.id)).toContain(newList.body.id);

    const withList = await api().put(`/api/v1/integrations/${id}/list`).set(bearer(token)).send({ listId: newList.body.id });
    expect(withList.body).toMatchObject({ nextStep: 'preview', list: { id: newList.body.id, name: 'Salesforce leads' } });

    const activated = await api().post(`/api/v1/integrations/${id}/activate`).set(bearer(token));
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active', nextStep: null });
    expect(activated.body.activatedAt).toBeTruthy();
    expect(bff.hooks.calls).toContain(`activated:${id}`);

    // The first sync's progress bar, from the sync engine's runs.
    expect(activated.body.sync).toBeNull();
    bff.facts.runs.set(id, { lastSyncAt: new Date('2026-11-27T10:00:00Z'), running: { processed: 120, total: 480, startedAt: new Date('2026-11-27T10:01:00Z') } });
    const syncing = await api().get(`/api/v1/integrations/${id}`).set(bearer(token));
    expect(syncing.body).toMatchObject({ lastSyncAt: '2026-11-27T10:00:00.000Z', sync: { running: true, processed: 120, total: 480, startedAt: '2026-11-27T10:01:00.000Z' } });

    const paused = await api().post(`/api/v1/integrations/${id}/pause`).set(bearer(token));
    expect(paused.body.status).toBe('paused');
    const resumed = await api().post(`/api/v1/integrations/${id}/resume`).set(bearer(token));
    expect(resumed.body.status).toBe('active');

    const deleted = await api().delete(`/api/v1/integrations/${id}`).set(bearer(token));
    expect(deleted.status).toBe(204);
    expect((await api().get(`/api/v1/integrations/${id}`).set(bearer(token))).status).toBe(404);
    expect(bff.hooks.calls).toContain(`deleted:${id}`);
  });

  it('refuses creation and activation without the BrevoPlus plan (R1)', async () => {
    const free = await bff.token({ plan: 'Free' });
    const refused = await request(bff.app).post('/api/v1/integrations').set(bearer(free)).send({ kind: 'salesforce-contacts', name: 'Nope' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('plan_required');
    expect((await request(bff.app).get('/api/v1/session').set(bearer(free))).body.canActivate).toBe(false);

    // A draft made while on BrevoPlus cannot be activated after a downgrade.
    const plus = await bff.token();
    const draft = await request(bff.app).post('/api/v1/integrations').set(bearer(plus)).send({ kind: 'salesforce-contacts', name: 'Downgraded' });
    const activate = await request(bff.app).post(`/api/v1/integrations/${draft.body.id}/activate`).set(bearer(free));
    expect(activate.status).toBe(403);
    expect(activate.body.error.code).toBe('plan_required');
  });

  it('keeps names unique per account, case-insensitively (R2), and validates them', async () => {
    const token = await bff.token();
    await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name: 'Contacts IT' });
    const duplicate = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'contacts it' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('name_taken');

    const blank = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: '   ' });
    expect(blank.status).toBe(422);
    expect(blank.body.error).toMatchObject({ code: 'validation_failed', details: { issues: [{ code: 'name_required', field: 'name' }] } });
    const long = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'x'.repeat(101) });
    expect(long.body.error.details.issues[0].code).toBe('name_too_long');
    const extra = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'ok', status: 'active' });
    expect(extra.status).toBe(422);

    const other = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-leads', name: 'Other' });
    const rename = await request(bff.app).patch(`/api/v1/integrations/${other.body.id}`).set(bearer(token)).send({ name: 'CONTACTS IT' });
    expect(rename.status).toBe(409);
    const renamed = await request(bff.app).patch(`/api/v1/integrations/${other.body.id}`).set(bearer(token)).send({ name: 'Leads IT' });
    expect(renamed.body.name).toBe('Leads IT');
  });

  it('refuses to activate an incomplete draft, naming the step it misses', async () => {
    const token = await bff.token();
    const draft = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name: 'Incomplete' });
    const activate = await request(bff.app).post(`/api/v1/integrations/${draft.body.id}/activate`).set(bearer(token));
    expect(activate.status).toBe(409);
    expect(activate.body.error).toMatchObject({ code: 'integration_incomplete', details: { nextStep: 'connect' } });
    const pause = await request(bff.app).post(`/api/v1/integrations/${draft.body.id}/pause`).set(bearer(token));
    expect(pause.status).toBe(409);
    expect(pause.body.error).toMatchObject({ code: 'invalid_state', details: { status: 'draft' } });
  });
});
