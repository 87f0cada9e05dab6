import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brevoError, createContactId, startSandbox, type StartedSandbox } from '../test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  // Conformance of each endpoint's shape, many calls a second in a row: Brevo's 10 calls/s would answer 429s the test is not about (rate-limit.test.ts checks the limits).
  sandbox = await startSandbox({ rateLimits: { enabled: false }, seed: { contacts: 0 } });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.state.reset());

describe('lists and folders', () => {
  it('pages lists (max 50) and creates, renames and deletes them', async () => {
    const { client } = sandbox;
    const seeded = await client.contacts.getLists({ sort: 'asc' });
    expect(seeded.count).toBe(4);
    expect(seeded.lists![0]).toEqual({ id: 2, name: 'Your first list', totalBlacklisted: 0, totalSubscribers: 0, uniqueSubscribers: 0, folderId: 1 });
    const { id } = await client.contacts.createList({ name: 'Salesforce sync', folderId: 1 });
    const page = await client.contacts.getLists({ limit: 2, offset: 0 });
    expect(page.lists!.map((l) => l.id)).toEqual([id, 5]);
    expect((await brevoError(client.contacts.getLists({ limit: 51 }))).statusCode).toBe(400);
    await client.contacts.updateList({ listId: id, name: 'Renamed' });
    const list = await client.contacts.getList({ listId: id });
    expect(list).toMatchObject({ id, name: 'Renamed', folderId: 1, dynamicList: false });
    expect(list.createdAt).toMatch(/T.*[+-]\d{2}:\d{2}$/);
    await client.contacts.deleteList({ listId: id });
    const missing = await brevoError(client.contacts.getList({ listId: id }));
    expect(missing.statusCode).toBe(404);
    expect((missing.body as { code: string }).code).toBe('document_not_found');
    expect((await brevoError(client.contacts.createList({ name: 'x', folderId: 999 }))).statusCode).toBe(400);
  });

  it('creates folders and lists their lists', async () => {
    const { client } = sandbox;
    const folder = await client.contacts.createFolder({ name: 'CRM' });
    const list = await client.contacts.createList({ name: 'In CRM', folderId: folder.id });
    const folders = await client.contacts.getFolders({ limit: 50 });
    expect(folders.folders!.map((f) => f.name)).toContain('CRM');
    expect(await client.contacts.getFolder({ folderId: folder.id })).toMatchObject({ id: folder.id, name: 'CRM' });
    expect((await client.contacts.getFolderLists({ folderId: folder.id })).lists!.map((l) => l.id)).toEqual([list.id]);
  });

  it('adds and removes contacts by email, id and ext_id and lists a list\'s contacts', async () => {
    const { client } = sandbox;
    const a = { id: await createContactId(client, { email: 'a@example.test' }) };
    const b = { id: await createContactId(client, { email: 'b@example.test', ext_id: 'EXT-B' }) };
    const added = await client.contacts.addContactToList({ listId: 3, body: { emails: ['a@example.test', 'nobody@example.test'] } });
    expect(added).toEqual({ contacts: { success: ['a@example.test'], failure: ['nobody@example.test'] } });
    await client.contacts.addContactToList({ listId: 3, body: { extIds: ['EXT-B'] } });
    const again = await brevoError(client.contacts.addContactToList({ listId: 3, body: { ids: [a.id] } }));
    expect(again.body).toEqual({ code: 'invalid_parameter', message: 'Contact already in list and/or does not exist' });
    const members = await client.contacts.getContactsFromList({ listId: 3, sort: 'asc' });
    expect(members.count).toBe(2);
    expect(members.contacts.map((c) => c.id)).toEqual([a.id, b.id]);
    expect((await client.contacts.getList({ listId: 3 })).totalSubscribers).toBe(2);
    expect((await client.contacts.getContacts({ listIds: [3], sort: 'asc' })).contacts.map((c) => c.id)).toEqual([a.id, b.id]);
    expect((await client.contacts.getContacts({ listIds: [2, 3] })).count).toBe(2);
    const removed = await client.contacts.removeContactFromList({ listId: 3, body: { ids: [b.id] } });
    expect(removed).toEqual({ contacts: { success: [b.id], failure: [] } });
    const all = await client.contacts.removeContactFromList({ listId: 3, body: { all: true } });
    expect(all.contacts.total).toBe(1);
    expect((await client.contacts.getContactInfo({ identifier: a.id })).listIds).toEqual([]);
    expect((await brevoError(client.contacts.getContactsFromList({ listId: 999 }))).statusCode).toBe(404);
  });
});

describe('attributes', () => {
  it('lists the seeded attributes of every type and creates new ones', async () => {
    const { client } = sandbox;
    const { attributes } = await client.contacts.getAttributes();
    const byName = Object.fromEntries(attributes.map((a) => [a.name, a]));
    expect(byName.FIRSTNAME).toEqual({ name: 'FIRSTNAME', category: 'normal', type: 'text' });
    expect(byName.BIRTHDAY?.type).toBe('date');
    expect(byName.SCORE?.type).toBe('float');
    expect(byName.OPT_IN?.type).toBe('boolean');
    expect(byName.LANGUAGE).toMatchObject({ category: 'category', enumeration: expect.arrayContaining([{ value: 2, label: 'Italiano', valueStr: '2' }]) });
    expect(byName.ORDERS_LAST_30_DAYS?.category).toBe('calculated');

    await client.contacts.createAttribute({ attributeCategory: 'normal', attributeName: 'LOYALTY_TIER', type: 'text' });
    await client.contacts.createAttribute({ attributeCategory: 'category', attributeName: 'REGION', enumeration: [{ value: 1, label: 'North' }] });
    const after = (await client.contacts.getAttributes()).attributes.map((a) => a.name);
    expect(after).toEqual(expect.arrayContaining(['LOYALTY_TIER', 'REGION']));
    const duplicate = await brevoError(client.contacts.createAttribute({ attributeCategory: 'normal', attributeName: 'LOYALTY_TIER', type: 'text' }));
    expect(duplicate.statusCode).toBe(400);
    const id = await createContactId(client, { email: 'tier@example.test', attributes: { LOYALTY_TIER: 'gold', REGION: 1 } });
    expect((await client.contacts.getContactInfo({ identifier: id! })).attributes).toEqual({ LOYALTY_TIER: 'gold', REGION: 'North' });
  });
});

describe('account', () => {
  it('reports the demo account on a paid plan named BrevoPlus', async () => {
    const account = await sandbox.client.account.getAccount();
    expect(account).toMatchObject({ email: 'marketing@acme.test', companyName: 'Acme Demo', plan: [{ type: 'subscription', creditsType: 'sendLimit' }] });
    expect(account.planVerticals![0]).toMatchObject({ planCategory: 'Marketing', name: 'BrevoPlus', status: 'active' });
    expect(account.relay.enabled).toBe(true);
  });
});
