import { brevoCall } from '@contact-sync/brevo';
import { integrationRepository } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, useTestBff } from '../test-support.ts';

const db = useTestDatabase('bff_wizard');
const bff = useTestBff(db);
let token: string;
let contactsId: string;

beforeAll(async () => {
  token = await bff.token();
  const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name: 'Wizard' });
  contactsId = created.body.id;
  expect((await connectSalesforce(bff, token, contactsId)).outcome.ok).toBe(true);
});

const putMapping = (mapping: unknown, id = contactsId, settings?: unknown) =>
  request(bff.app).put(`/api/v1/integrations/${id}/mapping`).set(bearer(token)).send({ mapping, ...(settings === undefined ? {} : { settings }) });

describe('consent (R4)', () => {
  it('is required before mapping, and only an explicit true counts', async () => {
    const early = await putMapping({ EMAIL: 'Email' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('consent_required');

    const refused = await request(bff.app).put(`/api/v1/integrations/${contactsId}/consent`).set(bearer(token)).send({ optIn: false });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.issues[0]).toMatchObject({ code: 'consent_required', field: 'optIn' });

    const given = await request(bff.app).put(`/api/v1/integrations/${contactsId}/consent`).set(bearer(token)).send({ optIn: true });
    expect(given.status).toBe(200);
    expect(Date.parse(given.body.consent.at)).not.toBeNaN();
  });
});

describe('mapping (R5, R6): every rule answers 422 with the rule code on the attribute row', () => {
  const cases: [string, Record<string, string>, string, string | undefined, unknown?][] = [
    ['email_or_sms_required', { FIRSTNAME: 'FirstName' }, 'R5', undefined],
    ['unknown_brevo_attribute', { EMAIL: 'Email', NOT_AN_ATTRIBUTE: 'FirstName' }, 'R5', 'NOT_AN_ATTRIBUTE'],
    ['unknown_salesforce_field', { EMAIL: 'Email', FIRSTNAME: 'Nope__c' }, 'R5', 'FIRSTNAME'],
    ['salesforce_field_mapped_twice', { EMAIL: 'Email', FIRSTNAME: 'FirstName', LASTNAME: 'FirstName' }, 'R5', 'LASTNAME'],
    ['field_type_incompatible', { EMAIL: 'Email', BIRTHDAY: 'FirstName' }, 'R5', 'BIRTHDAY'],
    ['field_type_incompatible', { EMAIL: 'Email', SCORE: 'Title' }, 'R5', 'SCORE'],
    // A formula syncs Salesforce → Brevo only; EMAIL identifies the contact (never Brevo → Salesforce only).
    ['direction_formula', { EMAIL: 'Email', FIRSTNAME: 'Full_Name__c' }, 'R5', 'FIRSTNAME', { directions: { FIRSTNAME: 'both' } }],
    ['direction_identifier', { EMAIL: 'Email' }, 'R5', 'EMAIL', { directions: { EMAIL: 'brevo_to_salesforce' } }],
    ['invalid_input', { EMAIL: 'Email' }, 'input', 'settings.directions.EMAIL', { directions: { EMAIL: 'sideways' } }],
    ['invalid_input', { EMAIL: 'Email' }, 'input', 'settings.conflictPolicy', { conflictPolicy: 'coin_toss' }],
    // Picklist ↔ category: a pair names a value the field has and an option the attribute has, each option once.
    ['value_pair_unknown', { EMAIL: 'Email', 'DOUBLE_OPT-IN': 'Preferred_Channel__c' }, 'R5', 'DOUBLE_OPT-IN', { valuePairs: { 'DOUBLE_OPT-IN': { Fax: { value: 1, label: 'Yes' } } } }],
    ['value_paired_twice', { EMAIL: 'Email', 'DOUBLE_OPT-IN': 'Preferred_Channel__c' }, 'R5', 'DOUBLE_OPT-IN', { valuePairs: { 'DOUBLE_OPT-IN': { Email: { value: 1, label: 'Yes' }, SMS: { value: 1, label: 'Yes' } } } }],
    // Yes/No and picklists map to Brevo booleans and categories only.
    ['field_type_incompatible', { EMAIL: 'Email', COMPANY: 'DoNotCall' }, 'R5', 'COMPANY'],
    ['field_type_incompatible', { EMAIL: 'Email', COMPANY: 'LeadSource' }, 'R5', 'COMPANY'],
    // A multi-select picklist feeds a multiple-choice attribute only, its values paired with options the attribute has.
    ['field_type_incompatible', { EMAIL: 'Email', COMPANY: 'Interests__c' }, 'R5', 'COMPANY'],
    ['value_pair_unknown', { EMAIL: 'Email', INTERESTS: 'Interests__c' }, 'R5', 'INTERESTS', { valuePairs: { INTERESTS: { Offers: { label: 'Offers' } } } }],
    ['value_pair_unknown', { EMAIL: 'Email', INTERESTS: 'Interests__c' }, 'R5', 'INTERESTS', { valuePairs: { INTERESTS: { Events: { value: 2, label: 'Events' } } } }],
    ['field_identifier', { EMAIL: 'Email', COMPANY: 'AccountId' }, 'R6', 'COMPANY'],
    ['field_type_incompatible', { EMAIL: 'Email', OPT_IN: 'FirstName' }, 'R5', 'OPT_IN'],
    ['field_type_incompatible', { EMAIL: 'Email', LANGUAGE: 'FirstName' }, 'R5', 'LANGUAGE'],
    ['attribute_calculated', { EMAIL: 'Email', ORDERS_LAST_30_DAYS: 'Visits__c' }, 'R6', 'ORDERS_LAST_30_DAYS'],
    ['invalid_input', { EMAIL: 'Email; DROP' }, 'input', 'mapping.EMAIL'],
    // EXT_ID holds the link to the Salesforce record: a field mapped to it would overwrite the link.
    ['attribute_link', { EMAIL: 'Email', EXT_ID: 'Title' }, 'R14', 'EXT_ID'],
    ['attribute_link', { EMAIL: 'Email', ext_id: 'Title' }, 'R14', 'ext_id'],
    // Record filters (issue 16 §4): checked against the live describe, each issue on its condition's row.
    ['filter_unknown_field', { EMAIL: 'Email' }, 'R5', 'filter.0.0', { filter: { groups: [{ conditions: [{ field: 'Nope__c', operator: 'equals', value: 'x' }] }] } }],
    ['filter_field_not_filterable', { EMAIL: 'Email' }, 'R5', 'filter.0.0', { filter: { groups: [{ conditions: [{ field: 'Notes__c', operator: 'contains', value: 'x' }] }] } }],
    ['filter_operator_unsupported', { EMAIL: 'Email' }, 'R5', 'filter.1.0', { filter: { groups: [{ conditions: [{ field: 'Title', operator: 'isEmpty' }] }, { conditions: [{ field: 'Score__c', operator: 'contains', value: '5' }] }] } }],
    ['filter_value_required', { EMAIL: 'Email' }, 'R5', 'filter.0.1', { filter: { groups: [{ conditions: [{ field: 'Title', operator: 'isEmpty' }, { field: 'Title', operator: 'equals' }] }] } }],
    ['filter_value_invalid', { EMAIL: 'Email' }, 'R5', 'filter.0.0', { filter: { groups: [{ conditions: [{ field: 'LeadSource', operator: 'in', values: ['Web', 'Fax'] }] }] } }],
    ['filter_value_invalid', { EMAIL: 'Email' }, 'R5', 'filter.0.0', { filter: { groups: [{ conditions: [{ field: 'Birthdate', operator: 'lessThan', value: '2025-02-30' }] }] } }],
  ];

  it.each(cases)('%s', async (code, mapping, rule, field, settings) => {
    const before = await request(bff.app).get(`/api/v1/integrations/${contactsId}`).set(bearer(token));
    const response = await putMapping(mapping, contactsId, settings);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
    const issue = (response.body.error.details.issues as { code: string; rule: string; field?: string; messageKey: string }[]).find((i) => i.code === code);
    expect(issue, JSON.stringify(response.body.error.details.issues)).toBeDefined();
    expect(issue).toMatchObject({ rule, ...(field ? { field } : {}) });
    expect(issue!.messageKey).toMatch(/^rules\./);
    // Nothing saved.
    const after = await request(bff.app).get(`/api/v1/integrations/${contactsId}`).set(bearer(token));
    expect(after.body.mapping).toEqual(before.body.mapping);
  });

  it('offers EXT_ID to no field in the mapping options, with the reason the form shows', async () => {
    const options = await request(bff.app).get(`/api/v1/integrations/${contactsId}/mapping/options`).set(bearer(token));
    expect(options.status).toBe(200);
    const extId = (options.body.options as { attribute: { name: string } }[]).find((option) => option.attribute.name === 'EXT_ID');
    expect(extId).toMatchObject({ kind: null, eligibleFields: [], issue: { code: 'attribute_link', messageKey: 'rules.attribute.link' } });
  });

  it('refuses hostile attribute names without storing them', async () => {
    const response = await request(bff.app)
      .put(`/api/v1/integrations/${contactsId}/mapping`)
      .set(bearer(token))
      .set('content-type', 'application/json')
      .send('{"mapping":{"EMAIL":"Email","__proto__":"FirstName","$where":"FirstName"}}');
    expect(response.status).toBe(422);
    expect(({} as Record<string, unknown>).FirstName).toBeUndefined();
  });

  it('saves a valid mapping, including a datetime → date and a phone → SMS', async () => {
    const response = await putMapping({ EMAIL: 'Email', SMS: 'MobilePhone', LAST_PURCHASE_DATE: 'Last_Contacted__c', SCORE: 'Score__c' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ nextStep: 'list', mapping: { SMS: 'MobilePhone' } });
  });

  it('saves each field’s direction and the conflict policy, returns them, and a later save without them goes back to the defaults', async () => {
    const settings = {
      directions: { FIRSTNAME: 'salesforce_to_brevo', LASTNAME: 'brevo_to_salesforce' },
      conflictPolicy: 'salesforce_wins',
      // A multiple-choice option is kept by its label only: it has no number.
      valuePairs: { 'DOUBLE_OPT-IN': { Email: { value: 1, label: 'Yes' }, None: { value: 2, label: 'No' } }, INTERESTS: { Events: { label: 'Events' }, Webinars: { label: 'Webinars' } } },
      optOuts: { enabled: false, resubscribeClears: true },
    };
    // A direction for an attribute not mapped is not kept.
    const saved = await putMapping({ EMAIL: 'Email', FIRSTNAME: 'FirstName', LASTNAME: 'LastName', 'DOUBLE_OPT-IN': 'Preferred_Channel__c', OPT_IN: 'HasOptedOutOfEmail', INTERESTS: 'Interests__c' }, contactsId, {
      ...settings,
      directions: { ...settings.directions, SCORE: 'both' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.mappingSettings).toEqual(settings);
    const options = await request(bff.app).get(`/api/v1/integrations/${contactsId}/mapping/options`).set(bearer(token));
    expect(options.body.mappingSettings).toEqual(settings);
    const reset = await putMapping({ EMAIL: 'Email', FIRSTNAME: 'FirstName' });
    expect(reset.body.mappingSettings).toEqual({});
    // Opt-out settings are two booleans, both required; anything else is refused and changes nothing.
    for (const optOuts of [{ enabled: true }, { enabled: 'yes', resubscribeClears: false }, { enabled: true, resubscribeClears: false, unblocklist: true }]) {
      const refused = await putMapping({ EMAIL: 'Email' }, contactsId, { optOuts });
      expect(refused.status).toBe(422);
    }
    expect((await request(bff.app).get(`/api/v1/integrations/${contactsId}/mapping/options`).set(bearer(token))).body.mappingSettings).toEqual({});
  });
});

describe('record filter (issue 16 §4)', () => {
  const webOrHighScore = {
    groups: [
      { conditions: [{ field: 'LeadSource', operator: 'in', values: ['Web', 'Other'] }, { field: 'Email', operator: 'isNotEmpty' }] },
      { conditions: [{ field: 'Score__c', operator: 'greaterThan', value: '90.5' }] },
    ],
  };

  it('is saved with the mapping, returned, and a later save without it syncs every record again', async () => {
    const saved = await putMapping({ EMAIL: 'Email', FIRSTNAME: 'FirstName' }, contactsId, { filter: webOrHighScore });
    expect(saved.status).toBe(200);
    expect(saved.body.mappingSettings).toEqual({ filter: webOrHighScore });
    const options = await request(bff.app).get(`/api/v1/integrations/${contactsId}/mapping/options`).set(bearer(token));
    expect(options.body.mappingSettings).toEqual({ filter: webOrHighScore });
    // The form offers only the fields Salesforce can filter on: it needs describe's filterable.
    const fields = options.body.salesforceFields as { name: string; filterable?: boolean }[];
    expect(fields.find((field) => field.name === 'LeadSource')?.filterable).toBe(true);
    expect(fields.find((field) => field.name === 'Notes__c')?.filterable).toBe(false);
    const reset = await putMapping({ EMAIL: 'Email', FIRSTNAME: 'FirstName' });
    expect(reset.body.mappingSettings).toEqual({});
  });

  const condition = { field: 'Title', operator: 'equals', value: 'x' };
  it.each<[string, unknown]>([
    ['11 groups', { groups: Array.from({ length: 11 }, () => ({ conditions: [condition] })) }],
    ['21 conditions', { groups: [{ conditions: Array(21).fill(condition) }] }],
    ['a value of 256 characters', { groups: [{ conditions: [{ ...condition, value: 'x'.repeat(256) }] }] }],
    ['101 values in a list', { groups: [{ conditions: [{ field: 'Title', operator: 'in', values: Array(101).fill('x') }] }] }],
    ['a field that is SOQL, not a name', { groups: [{ conditions: [{ ...condition, field: 'Title = null OR Id' }] }] }],
    ['raw SOQL beside the conditions', { groups: [{ conditions: [condition] }], where: 'Id != null' }],
    ['an empty filter', { groups: [] }],
  ])('refuses %s (422 invalid_input), saving nothing', async (_what, filter) => {
    await putMapping({ EMAIL: 'Email' }, contactsId, { filter: webOrHighScore });
    const response = await putMapping({ EMAIL: 'Email', FIRSTNAME: 'FirstName' }, contactsId, { filter });
    expect(response.status).toBe(422);
    expect((response.body.error.details.issues as { code: string }[]).map((issue) => issue.code)).toContain('invalid_input');
    const after = await request(bff.app).get(`/api/v1/integrations/${contactsId}/mapping/options`).set(bearer(token));
    expect(after.body.mapping).toEqual({ EMAIL: 'Email' });
    expect(after.body.mappingSettings).toEqual({ filter: webOrHighScore });
  });
});

describe('list', () => {
  it('must exist in the account', async () => {
    const missing = await request(bff.app).put(`/api/v1/integrations/${contactsId}/list`).set(bearer(token)).send({ listId: 987654 });
    expect(missing.status).toBe(409);
    expect(missing.body.error.code).toBe('brevo_list_not_found');
    const invalid = await request(bff.app).put(`/api/v1/integrations/${contactsId}/list`).set(bearer(token)).send({ listId: 'x' });
    expect(invalid.status).toBe(422);
  });

  it('pages Brevo lists and bounds the page size', async () => {
    for (const name of ['A', 'B', 'C']) await request(bff.app).post('/api/v1/brevo/lists').set(bearer(token)).send({ name: `List ${name}` });
    const page = await request(bff.app).get('/api/v1/brevo/lists?offset=1&limit=2').set(bearer(token));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ offset: 1, limit: 2 });
    expect(page.body.lists).toHaveLength(2);
    expect(page.body.count).toBeGreaterThanOrEqual(3);
    expect((await request(bff.app).get('/api/v1/brevo/lists?limit=500').set(bearer(token))).status).toBe(422);
    expect((await request(bff.app).get('/api/v1/brevo/lists?sort=desc').set(bearer(token))).status).toBe(422);
  });

  it('answers brevo_not_configured for an account without a key', async () => {
    const other = await bff.token({ accountId: 'acc_without_brevo' });
    const response = await request(bff.app).get('/api/v1/brevo/lists').set(bearer(other));
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('brevo_not_configured');
    expect((await request(bff.app).get('/api/v1/session').set(bearer(other))).body.brevoConfigured).toBe(false);
  });
});

describe('activation re-checks the saved mapping against the live schemas', () => {
  it('sends the user back to mapping when a mapped Brevo attribute was deleted', async () => {
    const list = await request(bff.app).post('/api/v1/brevo/lists').set(bearer(token)).send({ name: 'Live check' });
    await request(bff.app).put(`/api/v1/integrations/${contactsId}/list`).set(bearer(token)).send({ listId: list.body.id });
    await putMapping({ EMAIL: 'Email', SCORE: 'Score__c' });
    // Through Brevo's API, as a marketer's own tool would: the sandbox enforces Brevo's rate limits, and this file's
    // mapping checks read the attributes often, so the call waits out a 429 as any Brevo client should.
    await brevoCall(() => bff.brevo.client.contacts.deleteAttribute({ attributeCategory: 'normal', attributeName: 'SCORE' }), { idempotent: true });
    const response = await request(bff.app).post(`/api/v1/integrations/${contactsId}/activate`).set(bearer(token));
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'integration_incomplete', details: { nextStep: 'mapping' } });
    expect(response.body.error.details.issues[0]).toMatchObject({ code: 'unknown_brevo_attribute', field: 'SCORE' });
  });

  it('sends a mapping saved with EXT_ID (before it was refused) back to the mapping step', async () => {
    const integrations = integrationRepository(db.connection, bff.secrets);
    await integrations.setMapping('acc_demo', contactsId, { EMAIL: 'Email', EXT_ID: 'Title' });
    const response = await request(bff.app).post(`/api/v1/integrations/${contactsId}/activate`).set(bearer(token));
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'integration_incomplete', details: { nextStep: 'mapping' } });
    expect(response.body.error.details.issues).toEqual([expect.objectContaining({ code: 'attribute_link', field: 'EXT_ID' })]);
  });

  it('refuses re-activation without quota left (R16)', async () => {
    await putMapping({ EMAIL: 'Email' });
    bff.facts.quota.set(contactsId, { used: 100_000, limit: 100_000 });
    const refused = await request(bff.app).post(`/api/v1/integrations/${contactsId}/activate`).set(bearer(token));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('quota_exceeded');
    bff.facts.quota.set(contactsId, { used: 10, limit: 100_000 });
    const activated = await request(bff.app).post(`/api/v1/integrations/${contactsId}/activate`).set(bearer(token));
    expect(activated.body).toMatchObject({ status: 'active', quota: { used: 10, limit: 100_000 } });
  });
});
