import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brevoError, createContactId, startSandbox, waitFor, type StartedSandbox } from '../test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  // Conformance of each endpoint's shape, many calls a second in a row: Brevo's 10 calls/s would answer 429s the test is not about (rate-limit.test.ts checks the limits).
  sandbox = await startSandbox({ rateLimits: { enabled: false }, seed: { contacts: 5 } });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.state.reset());

describe('auth', () => {
  it('refuses a missing or unknown api-key with Brevo 401 bodies', async () => {
    const wrong = await brevoError(sandbox.clientWithKey('xkeysib-wrong').contacts.getContacts());
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toEqual({ code: 'unauthorized', message: 'Key not found' });
    const res = await fetch(`${sandbox.baseUrl}/contacts`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'unauthorized', message: 'authentication not found in headers' });
  });
});

describe('contacts', () => {
  it('creates, reads by every identifierType, updates and deletes', async () => {
    const { client } = sandbox;
    const id = await createContactId(client, {
      email: 'Ada@Example.test',
      ext_id: '003000000000001AAA',
      attributes: { FIRSTNAME: 'Ada', LASTNAME: 'Lovelace', SMS: '0033612345670', BIRTHDAY: '1815-12-10', SCORE: 9.5 },
      listIds: [2],
    });
    expect(id).toBeGreaterThan(0);

    const byEmail = await client.contacts.getContactInfo({ identifier: 'ada@example.test' });
    expect(byEmail).toMatchObject({
      id,
      email: 'ada@example.test',
      emailBlacklisted: false,
      smsBlacklisted: false,
      listIds: [2],
      attributes: { FIRSTNAME: 'Ada', LASTNAME: 'Lovelace', SMS: '33612345670', EXT_ID: '003000000000001AAA', BIRTHDAY: '1815-12-10', SCORE: 9.5 },
    });
    expect(byEmail.modifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    for (const [identifier, identifierType] of [
      [id, 'contact_id'],
      ['ada@example.test', 'email_id'],
      ['003000000000001AAA', 'ext_id'],
      ['+33612345670', 'phone_id'],
    ] as const) {
      const found = await client.contacts.getContactInfo({ identifier, identifierType });
      expect(found.id).toBe(id);
    }
    expect((await client.contacts.getContactInfo({ identifier: id })).id).toBe(id);
    expect((await client.contacts.getContactInfo({ identifier: '33612345670' })).id).toBe(id);
    expect((await client.contacts.getContactInfo({ identifier: '+33612345670' })).id).toBe(id);

    expect(await client.contacts.getContactStats({ identifier: 'ada@example.test' })).toEqual({});
    await client.contacts.updateContact({ identifier: '003000000000001AAA', identifierType: 'ext_id', attributes: { FIRSTNAME: 'Augusta', EMAIL: 'augusta@example.test' }, unlinkListIds: [2], listIds: [3] });
    const updated = await client.contacts.getContactInfo({ identifier: id, identifierType: 'contact_id' });
    expect(updated).toMatchObject({ email: 'augusta@example.test', listIds: [3], attributes: { FIRSTNAME: 'Augusta' } });
    expect(Date.parse(updated.modifiedAt)).toBeGreaterThan(Date.parse(byEmail.modifiedAt));

    await client.contacts.deleteContact({ identifier: '+33612345670', identifierType: 'phone_id' });
    const gone = await brevoError(client.contacts.getContactInfo({ identifier: id }));
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toEqual({ code: 'document_not_found', message: 'Contact does not exist' });
  });

  it('answers 204 when updateEnabled updates an existing contact', async () => {
    const { client } = sandbox;
    const first = { id: await createContactId(client, { email: 'grace@example.test', attributes: { FIRSTNAME: 'Grace' } }) };
    const again = await client.contacts.createContact({ email: 'grace@example.test', attributes: { LASTNAME: 'Hopper' }, updateEnabled: true }).withRawResponse();
    expect(again.rawResponse.status).toBe(204);
    const contact = await client.contacts.getContactInfo({ identifier: first.id });
    expect(contact.attributes).toMatchObject({ FIRSTNAME: 'Grace', LASTNAME: 'Hopper' });
  });

  it('refuses a second contact with the same email, SMS or ext_id', async () => {
    const { client } = sandbox;
    await client.contacts.createContact({ email: 'one@example.test', ext_id: 'EXT-1', attributes: { SMS: '+393331234567' } });
    const other = { id: await createContactId(client, { email: 'two@example.test' }) };
    for (const request of [{ email: 'ONE@example.test' }, { email: 'x@example.test', ext_id: 'EXT-1' }, { email: 'y@example.test', attributes: { SMS: '00393331234567' } }]) {
      const error = await brevoError(client.contacts.createContact(request));
      expect(error.statusCode).toBe(400);
      expect((error.body as { code: string }).code).toBe('duplicate_parameter');
    }
    const update = await brevoError(client.contacts.updateContact({ identifier: other.id, attributes: { SMS: '+393331234567' } }));
    expect(update.statusCode).toBe(400);
    expect(update.body).toEqual({
      code: 'duplicate_parameter',
      message: 'Unable to update contact, SMS is already associated with another Contact',
      metadata: { duplicate_identifiers: ['SMS'] },
    });
    const email = await brevoError(client.contacts.updateContact({ identifier: other.id, attributes: { EMAIL: 'one@example.test' } }));
    expect((email.body as { metadata: unknown }).metadata).toEqual({ duplicate_identifiers: ['email'] });
  });

  it('validates SMS, ignores mistyped values and unknown attributes as Brevo documents', async () => {
    const { client } = sandbox;
    const badSms = await brevoError(client.contacts.createContact({ email: 'sms@example.test', attributes: { SMS: '12' } }));
    expect(badSms.statusCode).toBe(400);
    expect(badSms.body).toEqual({ code: 'invalid_parameter', message: 'Invalid phone number' });
    const noId = await brevoError(client.contacts.createContact({ attributes: { FIRSTNAME: 'Nobody' } }));
    expect((noId.body as { code: string }).code).toBe('missing_parameter');
    const badEmail = await brevoError(client.contacts.createContact({ email: 'not-an-email' }));
    expect((badEmail.body as { code: string }).code).toBe('invalid_parameter');

    const id = await createContactId(client, { email: 'typed@example.test', attributes: { BIRTHDAY: '2001-02-03', SCORE: 3 } });
    await client.contacts.updateContact({ identifier: id!, attributes: { BIRTHDAY: '03/02/2001', SCORE: 'high', NOT_AN_ATTRIBUTE: 'x', FIRSTNAME: 'Typed' } });
    const contact = await client.contacts.getContactInfo({ identifier: id! });
    expect(contact.attributes).toEqual({ BIRTHDAY: '2001-02-03', SCORE: 3, FIRSTNAME: 'Typed' });
    const impossibleDate = { id: await createContactId(client, { email: 'feb30@example.test', attributes: { BIRTHDAY: '2001-02-30' } }) };
    expect((await client.contacts.getContactInfo({ identifier: impossibleDate.id })).attributes).toEqual({});
  });

  it('lists contacts with paging, modifiedSince, sort and the 1000 limit', async () => {
    const { client } = sandbox;
    const all = await client.contacts.getContacts({ limit: 1000 });
    expect(all.count).toBe(5);
    const asc = await client.contacts.getContacts({ limit: 2, offset: 1, sort: 'asc' });
    expect(asc.contacts.map((c) => c.id)).toEqual([2, 3]);
    expect((await client.contacts.getContacts()).contacts[0]!.id).toBe(5);
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await client.contacts.updateContact({ identifier: 1, attributes: { FIRSTNAME: 'Changed' } });
    const changed = await client.contacts.getContacts({ modifiedSince: since });
    expect(changed).toMatchObject({ count: 1, contacts: [{ id: 1 }] });
    await client.contacts.updateContact({ identifier: 2, attributes: { FIRSTNAME: 'Antoine', LANGUAGE: 2 } });
    expect((await client.contacts.getContacts({ filter: 'equals(FIRSTNAME,"Antoine")' })).contacts.map((c) => c.id)).toEqual([2]);
    expect((await client.contacts.getContacts({ filter: 'equals(LANGUAGE, "2")' })).contacts.map((c) => c.id)).toContain(2);
    expect((await client.contacts.getContacts({ ids: [1, 3], sort: 'asc' })).contacts.map((c) => c.id)).toEqual([1, 3]);
    expect((await brevoError(client.contacts.getContacts({ filter: 'contains(FIRSTNAME,"A")' }))).statusCode).toBe(400);
    const tooMany = await brevoError(client.contacts.getContacts({ limit: 1001 }));
    expect(tooMany.statusCode).toBe(400);
    expect((tooMany.body as { code: string }).code).toBe('out_of_range');
  });

  it('updates in batch: 204 when all succeed, 207 with successIds and failureIds otherwise', async () => {
    const { client } = sandbox;
    const all = await client.contacts
      .updateBatchContacts({
        contacts: [
          { id: 1, attributes: { FIRSTNAME: 'Batch1' } },
          { id: 2, ext_id: 'EXT-B2', listIds: [4] },
        ],
      })
      .withRawResponse();
    expect(all.rawResponse.status).toBe(204);
    expect((await client.contacts.getContactInfo({ identifier: 1 })).attributes).toMatchObject({ FIRSTNAME: 'Batch1' });
    expect(await client.contacts.getContactInfo({ identifier: 'EXT-B2', identifierType: 'ext_id' })).toMatchObject({ id: 2, listIds: [4] });
    const email3 = (await client.contacts.getContactInfo({ identifier: 3 })).email!;
    const some = await client.contacts
      .updateBatchContacts({ contacts: [{ email: email3, attributes: { FIRSTNAME: 'Three' } }, { id: 999 }, { id: 4, ext_id: 'EXT-B2' }] })
      .withRawResponse();
    // The SDK types this call as void and drops the 207 body: only the status tells a partial failure apart.
    expect(some.rawResponse.status).toBe(207);
    expect(some.data).toBeUndefined();
    const raw = await fetch(`${sandbox.baseUrl}/contacts/batch`, {
      method: 'POST',
      headers: { 'api-key': 'xkeysib-sandbox-demo', 'content-type': 'application/json' },
      body: JSON.stringify({ contacts: [{ id: 1, attributes: { LASTNAME: 'Raw' } }, { id: 999 }] }),
    });
    expect(raw.status).toBe(207);
    expect(await raw.json()).toEqual({ failureIds: [999], successIds: [1] });
    expect((await client.contacts.getContactInfo({ identifier: 3 })).attributes).toMatchObject({ FIRSTNAME: 'Three' });
    const empty = await brevoError(client.contacts.updateBatchContacts({ contacts: [] }));
    expect(empty.statusCode).toBe(400);
    const tooMany = await brevoError(client.contacts.updateBatchContacts({ contacts: Array.from({ length: 101 }, () => ({ id: 1 })) }));
    expect((tooMany.body as { code: string }).code).toBe('out_of_range');
  });

  it('answers malformed JSON with a Brevo error, not a stack', async () => {
    const res = await fetch(`${sandbox.baseUrl}/contacts`, { method: 'POST', headers: { 'api-key': 'xkeysib-sandbox-demo', 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'invalid_parameter', message: 'Invalid JSON in request body' });
    const array = await fetch(`${sandbox.baseUrl}/contacts`, { method: 'POST', headers: { 'api-key': 'xkeysib-sandbox-demo', 'content-type': 'application/json' }, body: '[1]' });
    expect(array.status).toBe(400);
  });
});

describe('category, boolean and multiple-choice attributes', () => {
  it('lists category enumerations and multiple-choice options, and stores a contact\'s option, Yes/No and choices as Brevo returns them', async () => {
    const { client } = sandbox;
    await client.contacts.createAttribute({ attributeCategory: 'category', attributeName: 'CONTACT_BY', type: 'category', enumeration: [{ value: 1, label: 'Email' }, { value: 2, label: 'SMS' }] });
    await client.contacts.createAttribute({ attributeCategory: 'normal', attributeName: 'HOBBIES', type: 'multiple-choice', multiCategoryOptions: ['Chess', 'Golf'] } as never);
    const { attributes } = await client.contacts.getAttributes();
    expect(attributes.find((attribute) => attribute.name === 'CONTACT_BY')).toMatchObject({ category: 'category', type: 'category', enumeration: [{ value: 1, label: 'Email' }, { value: 2, label: 'SMS' }] });
    expect(attributes.find((attribute) => attribute.name === 'NEWSLETTER')).toMatchObject({ category: 'normal', type: 'boolean' });
    expect(attributes.find((attribute) => attribute.name === 'HOBBIES')).toMatchObject({ category: 'normal', type: 'multiple-choice', multiCategoryOptions: ['Chess', 'Golf'] });

    // A category is written by its option's numeric value.
    await client.contacts.updateContact({ identifier: 1, attributes: { CONTACT_BY: 2, NEWSLETTER: true, HOBBIES: ['Golf'] } });
    const contact = await client.contacts.getContactInfo({ identifier: 1 });
    expect(contact.attributes).toMatchObject({ CONTACT_BY: 'SMS', NEWSLETTER: true, HOBBIES: ['Golf'] });
    await client.contacts.updateContact({ identifier: 1, attributes: { NEWSLETTER: false } });
    expect((await client.contacts.getContactInfo({ identifier: 1 })).attributes).toMatchObject({ NEWSLETTER: false });
  });
});

describe('multiple-choice attributes', () => {
  it('serves the seeded INTERESTS options, and stores a contact\'s choices by label through createContact, updateContact, the batch and a JSON import', async () => {
    const { client } = sandbox;
    const { attributes } = await client.contacts.getAttributes();
    expect(attributes.find((attribute) => attribute.name === 'INTERESTS')).toEqual({
      name: 'INTERESTS',
      category: 'normal',
      type: 'multiple-choice',
      multiCategoryOptions: ['Newsletter', 'Events', 'Product Updates', 'Webinars', 'Workshops'],
    });

    // createContact's reference: {"COUNTRIES": ["India","China"]}; each label once.
    const id = await createContactId(client, { email: 'choices@example.test', attributes: { INTERESTS: ['Events', 'Newsletter', 'Events'] } });
    expect((await client.contacts.getContactInfo({ identifier: id })).attributes).toMatchObject({ INTERESTS: ['Events', 'Newsletter'] });
    await client.contacts.updateContact({ identifier: id, attributes: { INTERESTS: ['Webinars'] } });
    expect((await client.contacts.getContactInfo({ identifier: id })).attributes).toMatchObject({ INTERESTS: ['Webinars'] });
    await client.contacts.updateBatchContacts({ contacts: [{ id, attributes: { INTERESTS: ['Workshops', 'Product Updates'] } }] });
    expect((await client.contacts.getContactInfo({ identifier: id })).attributes).toMatchObject({ INTERESTS: ['Workshops', 'Product Updates'] });
    // Emptied: the attribute is gone from the contact.
    await client.contacts.updateContact({ identifier: id, attributes: { INTERESTS: null } as never });
    expect((await client.contacts.getContactInfo({ identifier: id })).attributes).not.toHaveProperty('INTERESTS');

    const { processId } = await client.contacts.importContacts({ jsonBody: [{ email: 'imported@example.test', attributes: { INTERESTS: ['Events'] } }], listIds: [2] });
    await waitFor(async () => ((await client.process.getProcess({ processId })).status === 'completed' ? true : undefined), 20_000);
    expect((await client.contacts.getContactInfo({ identifier: 'imported@example.test' })).attributes).toMatchObject({ INTERESTS: ['Events'] });
  });

  it('adds options to a multiple-choice attribute through updateAttribute, and refuses them for another attribute or over 200 characters', async () => {
    const { client } = sandbox;
    await client.contacts.updateAttribute({ attributeCategory: 'normal', attributeName: 'INTERESTS', multiCategoryOptions: ['Tastings', 'Events'] });
    const { attributes } = await client.contacts.getAttributes();
    expect(attributes.find((attribute) => attribute.name === 'INTERESTS')?.multiCategoryOptions).toEqual(['Newsletter', 'Events', 'Product Updates', 'Webinars', 'Workshops', 'Tastings']);
    const id = await createContactId(client, { email: 'tastings@example.test', attributes: { INTERESTS: ['Tastings'] } });
    expect((await client.contacts.getContactInfo({ identifier: id })).attributes).toMatchObject({ INTERESTS: ['Tastings'] });
    expect((await brevoError(client.contacts.updateAttribute({ attributeCategory: 'normal', attributeName: 'FIRSTNAME', multiCategoryOptions: ['A'] }))).statusCode).toBe(400);
    expect((await brevoError(client.contacts.updateAttribute({ attributeCategory: 'normal', attributeName: 'INTERESTS', multiCategoryOptions: ['x'.repeat(201)] }))).statusCode).toBe(400);
  });

  it('ignores a value that is not a list of the attribute\'s labels (a label it does not offer, a text), as it ignores any value of the wrong type', async () => {
    const { client } = sandbox;
    const id = await createContactId(client, { email: 'kept@example.test', attributes: { INTERESTS: ['Events'] } });
    await client.contacts.updateContact({ identifier: id, attributes: { INTERESTS: ['Events', 'Golf'], FIRSTNAME: 'Kept' } });
    await client.contacts.updateContact({ identifier: id, attributes: { INTERESTS: 'Webinars' } });
    const contact = await client.contacts.getContactInfo({ identifier: id });
    expect(contact.attributes).toMatchObject({ INTERESTS: ['Events'], FIRSTNAME: 'Kept' });
  });
});
