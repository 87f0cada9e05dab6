import { describe, expect, it } from 'vitest';
import { EDGE } from '../seed/demo.ts';
import { useSandbox } from '../test-support.ts';

const sandbox = useSandbox({ resetEach: true });

type Row = Record<string, unknown> & { Id: string; SystemModstamp: string; LastModifiedDate: string };

async function contactId(lastName: string): Promise<string> {
  const result = await sandbox.conn.query<Row>(`SELECT Id FROM Contact WHERE LastName = '${lastName}'`);
  return result.records[0]!.Id;
}

describe('single-record CRUD', () => {
  it('creates, retrieves, updates (204, modstamp moves) and deletes (204, queryAll shows IsDeleted)', async () => {
    const created = await sandbox.conn.sobject('Contact').create({ FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com', Birthdate: '1815-12-10' });
    expect(created).toMatchObject({ success: true, errors: [] });
    expect(created.id).toMatch(/^003[A-Za-z0-9]{15}$/);
    const id = created.id!;

    const row = (await sandbox.conn.sobject('Contact').retrieve(id)) as unknown as Row;
    expect(row).toMatchObject({ Id: id, FirstName: 'Ada', Name: 'Ada Lovelace', Full_Name__c: 'Ada Lovelace', Birthdate: '1815-12-10', IsDeleted: false, HasOptedOutOfEmail: false });
    expect(row.SystemModstamp).toBe(row.LastModifiedDate);

    const updated = await sandbox.conn.sobject('Contact').update({ Id: id, Title: 'Analyst', Email: null });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const after = (await sandbox.conn.sobject('Contact').retrieve(id)) as unknown as Row;
    expect(after.Title).toBe('Analyst');
    expect(after.Email).toBeNull();
    expect(Date.parse(after.SystemModstamp.replace('+0000', 'Z'))).toBeGreaterThan(Date.parse(row.SystemModstamp.replace('+0000', 'Z')));

    await sandbox.conn.sobject('Contact').destroy(id);
    const visible = await sandbox.conn.query(`SELECT Id FROM Contact WHERE Id = '${id}'`);
    expect(visible.totalSize).toBe(0);
    const all = await sandbox.conn.query<Row>(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${id}'`, { scanAll: true });
    expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
    await expect(sandbox.conn.sobject('Contact').retrieve(id)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
    await expect(sandbox.conn.sobject('Contact').update({ Id: id, Title: 'x' })).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
  });

  it('answers NOT_FOUND for a well-formed id that does not exist', async () => {
    await expect(sandbox.conn.sobject('Contact').retrieve('003000000000000AAA')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('reports STRING_TOO_LONG with the field label, value and max length', async () => {
    const name41 = 'A'.repeat(41);
    await expect(sandbox.conn.sobject('Lead').create({ FirstName: name41, LastName: 'X', Company: 'Y' })).rejects.toMatchObject({
      errorCode: 'STRING_TOO_LONG',
      message: `First Name: data value too large: ${name41} (max length=40)`,
      data: { fields: ['FirstName'] },
    });
  });

  it('serves picklistValues and restrictedPicklist in describe, and refuses another value of a restricted picklist with INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', async () => {
    const describe = await sandbox.conn.sobject('Contact').describe();
    const channel = describe.fields.find((field) => field.name === 'Preferred_Channel__c')!;
    expect(channel).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(channel.picklistValues!.map((entry) => entry.value)).toEqual(['Email', 'SMS', 'Phone', 'None']);
    expect(channel.picklistValues![0]).toEqual({ active: true, defaultValue: false, label: 'Email', validFor: null, value: 'Email' });
    expect(describe.fields.find((field) => field.name === 'Newsletter__c')).toMatchObject({ type: 'boolean', nillable: false, soapType: 'xsd:boolean' });

    const id = await contactId(EDGE.contactWithCase.LastName);
    await expect(sandbox.conn.sobject('Contact').update({ Id: id, Preferred_Channel__c: 'Fax' })).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Preferred Channel: bad value for restricted picklist field: Fax',
      data: { fields: ['Preferred_Channel__c'] },
    });
    // An unrestricted picklist takes any value, as Salesforce's does.
    expect(await sandbox.conn.sobject('Contact').update({ Id: id, LeadSource: 'Trade show', Preferred_Channel__c: 'SMS', Newsletter__c: true })).toMatchObject({ success: true });
    expect(await sandbox.conn.sobject('Contact').retrieve(id)).toMatchObject({ LeadSource: 'Trade show', Preferred_Channel__c: 'SMS', Newsletter__c: true });
  });

  it('takes a multi-select picklist as its values joined by ";", refuses a value a restricted one lacks, and refuses an array as Salesforce’s JSON parser does', async () => {
    const describe = await sandbox.conn.sobject('Contact').describe();
    const interests = describe.fields.find((field) => field.name === 'Interests__c')!;
    expect(interests).toMatchObject({ type: 'multipicklist', restrictedPicklist: true, soapType: 'xsd:string' });
    expect(interests.picklistValues!.map((entry) => entry.value)).toEqual(['Newsletter', 'Events', 'Product Updates', 'Webinars', 'Offers']);

    const id = await contactId(EDGE.contactWithCase.LastName);
    expect(await sandbox.conn.sobject('Contact').update({ Id: id, Interests__c: 'Events;Offers' })).toMatchObject({ success: true });
    expect(await sandbox.conn.sobject('Contact').retrieve(id)).toMatchObject({ Interests__c: 'Events;Offers' });
    await expect(sandbox.conn.sobject('Contact').update({ Id: id, Interests__c: 'Events;Golf' })).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Interests: bad value for restricted picklist field: Golf',
      data: { fields: ['Interests__c'] },
    });
    await expect(sandbox.conn.sobject('Contact').update({ Id: id, Interests__c: ['Events'] } as never)).rejects.toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
    expect(await sandbox.conn.sobject('Contact').retrieve(id)).toMatchObject({ Interests__c: 'Events;Offers' });
  });

  it('reports REQUIRED_FIELD_MISSING for LastName, and Company on Lead, also when blanked by an update', async () => {
    await expect(sandbox.conn.sobject('Contact').create({ FirstName: 'No last' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [LastName]',
      data: { fields: ['LastName'] },
    });
    await expect(sandbox.conn.sobject('Lead').create({ LastName: 'NoCompany' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Company]',
    });
    const id = await contactId('Davis');
    await expect(sandbox.conn.sobject('Contact').update({ Id: id, LastName: '' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
  });

  it('reports INVALID_FIELD_FOR_INSERT_UPDATE for formula and system fields, INVALID_FIELD for unknown ones', async () => {
    await expect(sandbox.conn.sobject('Contact').create({ LastName: 'F', Full_Name__c: 'x' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: expect.stringMatching(/^Unable to create\/update fields: Full_Name__c\. Please check the security settings/),
      data: { fields: ['Full_Name__c'] },
    });
    await expect(sandbox.conn.sobject('Contact').create({ LastName: 'F', Nope__c: 'x' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Nope__c' on sobject of type Contact",
    });
  });

  it('reports INVALID_EMAIL_ADDRESS, JSON_PARSER_ERROR for wrong types and malformed JSON', async () => {
    await expect(sandbox.conn.sobject('Contact').create({ LastName: 'E', Email: 'not-an-email' })).rejects.toMatchObject({
      errorCode: 'INVALID_EMAIL_ADDRESS',
      message: 'Email: invalid email address: not-an-email',
      data: { fields: ['Email'] },
    });
    await expect(sandbox.conn.sobject('Contact').create({ LastName: 'E', Birthdate: '2024-02-30' })).rejects.toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
    await expect(sandbox.conn.sobject('Contact').create({ LastName: 'E', Score__c: 'lots' })).rejects.toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
    await expect(
      sandbox.conn.request({ method: 'POST', url: '/sobjects/Contact', body: '{"LastName":', headers: { 'content-type': 'application/json' } }),
    ).rejects.toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
    await expect(sandbox.conn.sobject('Widget__c').create({ Name: 'x' })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('refuses to delete a Contact that has a Case with DELETE_FAILED', async () => {
    const id = await contactId('Davis');
    await expect(sandbox.conn.sobject('Contact').destroy(id)).rejects.toMatchObject({
      errorCode: 'DELETE_FAILED',
      message: expect.stringMatching(/^Your attempt to delete Mr\. Josh Davis could not be completed because it is associated with the following cases\.: \d{8}\n$/),
    });
  });
});

describe('sObject Collections', () => {
  it('updates many with per-record results; failures do not stop the others', async () => {
    const ids = (await sandbox.conn.query<Row>('SELECT Id FROM Contact ORDER BY SystemModstamp LIMIT 3')).records.map((r) => r.Id) as [string, string, string];
    const results = await sandbox.conn.sobject('Contact').update([
      { Id: ids[0], Title: 'VP' },
      { Id: ids[1], FirstName: 'B'.repeat(41) },
      { Id: ids[2], Email: 'bad@' },
    ]);
    expect(results[0]).toEqual({ id: ids[0], success: true, errors: [] });
    expect(results[1]).toMatchObject({ id: ids[1], success: false, errors: [{ statusCode: 'STRING_TOO_LONG', fields: ['FirstName'] }] });
    expect(results[2]).toMatchObject({ id: ids[2], success: false, errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }] });
    const row = (await sandbox.conn.sobject('Contact').retrieve(ids[0]!)) as unknown as Row;
    expect(row.Title).toBe('VP');
  });

  it('describes HasOptedOutOfEmail as an updateable checkbox on Contact and Lead, writes it through a collection and filters on it', async () => {
    for (const object of ['Contact', 'Lead'] as const) {
      const described = await sandbox.conn.sobject(object).describe();
      expect(described.fields.find((f) => f.name === 'HasOptedOutOfEmail')).toMatchObject({ type: 'boolean', label: 'Email Opt Out', nillable: false, createable: true, updateable: true, calculated: false });
      const [first, second] = (await sandbox.conn.query<Row>(`SELECT Id FROM ${object} WHERE HasOptedOutOfEmail = false ORDER BY Id LIMIT 2`)).records.map((r) => r.Id);
      const results = await sandbox.conn.sobject(object).update([{ Id: first!, HasOptedOutOfEmail: true }, { Id: second!, HasOptedOutOfEmail: false }]);
      expect(results).toEqual([{ id: first, success: true, errors: [] }, { id: second, success: true, errors: [] }]);
      // Not a boolean: the whole request is refused as it cannot be read, as Salesforce does.
      await expect(sandbox.conn.sobject(object).update([{ Id: second!, HasOptedOutOfEmail: 'maybe' as unknown as boolean }])).rejects.toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
      const optedOut = (await sandbox.conn.query<Row>(`SELECT Id, HasOptedOutOfEmail FROM ${object} WHERE Id IN ('${first}', '${second}') ORDER BY Id`)).records;
      expect(optedOut.map((row) => [row.Id, row.HasOptedOutOfEmail])).toEqual([[first, true], [second, false]]);
    }
  });

  it('rolls everything back with allOrNone', async () => {
    const ids = (await sandbox.conn.query<Row>('SELECT Id, Title FROM Contact ORDER BY SystemModstamp LIMIT 2')).records.map((r) => r.Id) as [string, string];
    const results = await sandbox.conn.sobject('Contact').update(
      [
        { Id: ids[0], Title: 'Changed' },
        { Id: ids[1], LastName: null },
      ],
      { allOrNone: true },
    );
    expect(results[0]).toMatchObject({ success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
    expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] });
    const row = (await sandbox.conn.sobject('Contact').retrieve(ids[0]!)) as unknown as Row;
    expect(row.Title).not.toBe('Changed');
  });

  it('creates, retrieves and deletes many; DELETE_FAILED and ENTITY_IS_DELETED per record', async () => {
    const created = await sandbox.conn.sobject('Lead').create([
      { LastName: 'One', Company: 'C1' },
      { LastName: 'Two' },
    ]);
    expect(created[0]).toMatchObject({ success: true });
    expect(created[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }] });
    const newId = created[0]!.id!;
    const fetched = (await sandbox.conn.sobject('Lead').retrieve([newId], { fields: ['LastName', 'Company'] })) as unknown as Row[];
    expect(fetched[0]).toMatchObject({ LastName: 'One', Company: 'C1' });

    const davis = await contactId('Davis');
    const deleted = await sandbox.conn.sobject('Contact').destroy([davis]);
    expect(deleted[0]).toMatchObject({ id: davis, success: false, errors: [{ statusCode: 'DELETE_FAILED' }] });
    await sandbox.conn.sobject('Lead').destroy([newId]);
    const again = await sandbox.conn.sobject('Lead').destroy([newId]);
    expect(again[0]).toMatchObject({ id: newId, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED' }] });
  });

  it('refuses more than 200 records in one call', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ LastName: `N${i}`, Company: 'C' }));
    await expect(sandbox.conn.sobject('Lead').create(records)).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
    expect((await sandbox.conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(100);
  });

  it('reports INVALID_FIELD_FOR_INSERT_UPDATE per record in a collection', async () => {
    const id = await contactId('Shortphone');
    const results = await sandbox.conn.sobject('Contact').update([{ Id: id, Days_Since_Contact__c: 3 }]);
    expect(results[0]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Days_Since_Contact__c'] }] });
  });
});

describe('replication, limits and usage', () => {
  it('lists updated and deleted ids in whole minutes; changes in the current minute wait for the next window', async () => {
    const minute = 60_000;
    const end = new Date(Math.floor(Date.now() / minute) * minute);
    const start = new Date(end.getTime() - 3 * 86_400_000);
    const iso = (d: Date) => d.toISOString();
    const expected = await sandbox.conn.query<Row>(
      `SELECT Id FROM Contact WHERE SystemModstamp >= ${iso(start)} AND SystemModstamp < ${iso(end)} ORDER BY SystemModstamp`,
      { autoFetch: true },
    );
    expect(expected.totalSize).toBeGreaterThan(10);
    const lead = await sandbox.conn.sobject('Lead').create({ LastName: 'Window', Company: 'W' });
    const updated = await sandbox.conn.sobject('Contact').updated(start, new Date(end.getTime() + 5 * minute));
    expect(updated.ids).toEqual(expected.records.map((r) => r.Id));
    expect(updated.latestDateCovered).toBe(iso(end).replace('Z', '+0000'));
    expect((await sandbox.conn.sobject('Lead').updated(start, end)).ids).not.toContain(lead.id);

    const deleted = await sandbox.conn.sobject('Contact').deleted(start, end);
    const gone = await sandbox.conn.query<Row>(`SELECT Id FROM Contact WHERE LastName = '${EDGE.deletedContact.LastName}'`, { scanAll: true });
    expect(deleted.deletedRecords).toEqual([{ id: gone.records[0]!.Id, deletedDate: expect.stringMatching(/\+0000$/) }]);
    await expect(sandbox.conn.sobject('Contact').deleted(end, start)).rejects.toMatchObject({ errorCode: 'INVALID_REPLICATION_DATE' });
  });

  it('reports limits, Sforce-Limit-Info, and REQUEST_LIMIT_EXCEEDED once the daily limit is used', async () => {
    await fetch(`${sandbox.url}/__sandbox/api-usage`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ used: 0, limit: 5 }),
    });
    const limits = (await sandbox.conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests).toEqual({ Max: 5, Remaining: 4 });
    expect(limits.DataStorageMB).toBeDefined();
    expect(sandbox.conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 5 } });
    await sandbox.conn.query('SELECT Id FROM Contact LIMIT 1');
    await sandbox.conn.query('SELECT Id FROM Contact LIMIT 1');
    await sandbox.conn.query('SELECT Id FROM Contact LIMIT 1');
    await sandbox.conn.query('SELECT Id FROM Contact LIMIT 1');
    await expect(sandbox.conn.query('SELECT Id FROM Contact LIMIT 1')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    const usage = (await (await fetch(`${sandbox.url}/__sandbox/api-usage`)).json()) as { used: number; limit: number };
    expect(usage).toEqual({ used: 5, limit: 5 });
  });
});

describe('fault injection and call counts', () => {
  it('lets jsforce retry a GET through an injected 503 (it never retries a POST)', async () => {
    await fetch(`${sandbox.url}/__sandbox/calls`, { method: 'DELETE' });
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/services/data/v62.0/limits', status: 503, times: 1 }),
    });
    const limits = (await sandbox.conn.limits()) as unknown as Record<string, unknown>;
    expect(limits.DailyApiRequests).toBeDefined();
    const calls = (await (await fetch(`${sandbox.url}/__sandbox/calls`)).json()) as { byRoute: Record<string, number> };
    expect(calls.byRoute['GET /services/data/v62.0/limits']).toBe(2);
  });

  it('shows injected 500/503/429 as Salesforce errors', async () => {
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/services/data/v62.0/sobjects', method: 'POST', status: 500, times: 1 }),
    });
    await expect(sandbox.conn.sobject('Lead').create({ LastName: 'F', Company: 'C' })).rejects.toMatchObject({ errorCode: 'UNKNOWN_EXCEPTION' });
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/services/data/v62.0/limits', status: 503, times: 1 }),
    });
    const response = await fetch(`${sandbox.url}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${sandbox.conn.accessToken}` } });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual([expect.objectContaining({ errorCode: 'SERVER_UNAVAILABLE' })]);
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/services/data/v62.0/query', status: 429, times: 1 }),
    });
    await expect(sandbox.conn.query('SELECT Id FROM Contact LIMIT 1')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('drops a connection: jsforce retries the GET, and the POST fails without a retry', async () => {
    const addFault = (fault: object) =>
      fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
    await addFault({ pathPrefix: '/services/data/v62.0/query', drop: true, times: 1 });
    expect((await sandbox.conn.query('SELECT Id FROM Lead LIMIT 1')).records).toHaveLength(1);
    await addFault({ pathPrefix: '/services/data/v62.0/sobjects/Lead', method: 'POST', drop: true, times: 1 });
    await expect(sandbox.conn.sobject('Lead').create({ LastName: 'Dropped', Company: 'C' })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await sandbox.conn.query("SELECT COUNT() FROM Lead WHERE LastName = 'Dropped'")).totalSize).toBe(0);
  });

  it('counts REST calls per route, ids collapsed', async () => {
    await fetch(`${sandbox.url}/__sandbox/calls`, { method: 'DELETE' });
    const id = await contactId('Davis');
    await sandbox.conn.sobject('Contact').retrieve(id);
    const calls = (await (await fetch(`${sandbox.url}/__sandbox/calls`)).json()) as { total: number; byRoute: Record<string, number> };
    expect(calls.byRoute).toEqual({ 'GET /services/data/v62.0/query': 1, 'GET /services/data/v62.0/sobjects/Contact/:id': 1 });
  });
});

describe('seed', () => {
  it('has the edge cases the rules need', async () => {
    const phones = await sandbox.conn.query<Row>(`SELECT Phone, MobilePhone FROM Contact WHERE Phone IN ('${EDGE.invalidPhones[0]}', '${EDGE.invalidPhones[1]}') OR MobilePhone = '${EDGE.invalidPhones[2]}'`);
    expect(phones.totalSize).toBe(3);
    const forty = await sandbox.conn.query<Row>(`SELECT FirstName FROM Contact WHERE FirstName = '${EDGE.firstName40}'`);
    expect(String(forty.records[0]!.FirstName)).toHaveLength(40);
    const shared = await sandbox.conn.query(`SELECT Id FROM Contact WHERE Email = '${EDGE.duplicateEmail}'`);
    expect(shared.totalSize).toBe(2);
    const cases = await sandbox.conn.query<Row>('SELECT Id, ContactId, CaseNumber FROM Case');
    expect(cases.records[0]!.ContactId).toBe(await contactId('Davis'));
  });
});
