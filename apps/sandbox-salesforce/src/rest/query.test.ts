import { describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support.ts';

const sandbox = useSandbox();

type Row = Record<string, unknown> & { Id: string; SystemModstamp: string };

describe('REST query through jsforce', () => {
  it('lists versions and resources', async () => {
    const versions = (await sandbox.conn.request('/services/data')) as { version: string; label: string }[];
    expect(versions.at(-1)).toEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    expect(versions[0]!.version).toBe('20.0');
    const resources = (await sandbox.conn.request('/services/data/v62.0')) as Record<string, string>;
    expect(resources.query).toBe('/services/data/v62.0/query');
    const old = await fetch(`${sandbox.url}/services/data/v19.0/limits`, { headers: { Authorization: `Bearer ${sandbox.conn.accessToken}` } });
    expect(old.status).toBe(404);
  });

  it('answers records with attributes and totalSize', async () => {
    const result = await sandbox.conn.query<Row>("SELECT Id, FirstName, LastName, Email, SystemModstamp, IsDeleted FROM Contact WHERE LastName = 'davis'");
    expect(result.totalSize).toBe(1);
    expect(result.done).toBe(true);
    const row = result.records[0]!;
    expect(row.attributes).toEqual({ type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${row.Id}` });
    expect(row.FirstName).toBe('Josh');
    expect(row.IsDeleted).toBe(false);
    expect(row.SystemModstamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });

  it('pages with nextRecordsUrl and the batchSize header; queryMore and autoFetch walk all pages', async () => {
    const headers = { 'Sforce-Query-Options': 'batchSize=200' };
    const first = (await sandbox.conn.request({ method: 'GET', url: '/query?q=' + encodeURIComponent('SELECT Id FROM Contact'), headers })) as {
      totalSize: number;
      done: boolean;
      nextRecordsUrl?: string;
      records: Row[];
    };
    expect(first.totalSize).toBe(202);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(200);
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-200$/);
    const second = await sandbox.conn.queryMore<Row>(first.nextRecordsUrl!);
    expect(second.records).toHaveLength(2);
    expect(second.done).toBe(true);
    const ids = new Set([...first.records, ...second.records].map((r) => r.Id));
    expect(ids.size).toBe(202);

    const all = await sandbox.conn.query<Row>('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 10_000, headers: { 'Sforce-Query-Options': 'batchSize=50' } });
    expect(all.records).toHaveLength(100);
  });

  it('pages queryAll with deleted rows; its nextRecordsUrl says /query/ and /queryAll/ continues it too', async () => {
    const headers = { 'Sforce-Query-Options': 'batchSize=200' };
    const soql = encodeURIComponent('SELECT Id, IsDeleted FROM Contact ORDER BY SystemModstamp');
    type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Row[] };
    const first = (await sandbox.conn.request({ method: 'GET', url: `/queryAll?q=${soql}`, headers })) as Page;
    expect(first.totalSize).toBe(203);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g/);
    const viaQueryAll = (await sandbox.conn.request(first.nextRecordsUrl!.replace('/query/', '/queryAll/'))) as Page;
    expect(viaQueryAll.records).toHaveLength(3);
    // The seeded deleted contact was deleted last, so it sits on the last page.
    expect(viaQueryAll.records.at(-1)!.IsDeleted).toBe(true);
    const viaJsforce = await sandbox.conn.query<Row>('SELECT Id, IsDeleted FROM Contact', { scanAll: true, autoFetch: true, headers });
    expect(viaJsforce.records.filter((r) => r.IsDeleted)).toHaveLength(1);
    expect(viaJsforce.records).toHaveLength(203);
  });

  it('answers 405 with the allowed methods for a known resource', async () => {
    await expect(sandbox.conn.request({ method: 'PUT', url: '/sobjects/Contact/003000000000000AAA', body: '{}' })).rejects.toMatchObject({
      errorCode: 'METHOD_NOT_ALLOWED',
      message: "HTTP Method 'PUT' not allowed. Allowed are HEAD,GET,PATCH,DELETE",
    });
  });

  it('walks a (SystemModstamp, Id) watermark in pages without skipping or repeating', async () => {
    const seen: Row[] = [];
    let mark: Row | undefined;
    for (;;) {
      const where = mark ? `WHERE SystemModstamp > ${mark.SystemModstamp} OR (SystemModstamp = ${mark.SystemModstamp} AND Id > '${mark.Id}') ` : '';
      const page = await sandbox.conn.query<Row>(`SELECT Id, SystemModstamp FROM Contact ${where}ORDER BY SystemModstamp, Id LIMIT 37`);
      if (page.records.length === 0) break;
      seen.push(...page.records);
      mark = page.records.at(-1);
    }
    expect(seen).toHaveLength(202);
    expect(new Set(seen.map((r) => r.Id)).size).toBe(202);
    const stamps = seen.map((r) => Date.parse(r.SystemModstamp.replace('+0000', 'Z')));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  });

  it('sorts by several fields with NULLS LAST, and applies LIMIT and OFFSET', async () => {
    const result = await sandbox.conn.query<Row>('SELECT Id, Email, LastName FROM Contact ORDER BY Email DESC NULLS LAST, LastName ASC LIMIT 5 OFFSET 2');
    expect(result.records).toHaveLength(5);
    const emails = result.records.map((r) => String(r.Email).toLowerCase());
    expect([...emails].sort().reverse()).toEqual(emails);
    const nullsFirst = await sandbox.conn.query<Row>('SELECT Id, Email FROM Contact ORDER BY Email ASC NULLS FIRST LIMIT 1');
    expect(nullsFirst.records[0]!.Email).toBeNull();
  });

  it('filters with IN, LIKE, NOT, null, booleans, numbers and dates', async () => {
    const q = async (where: string) => (await sandbox.conn.query<Row>(`SELECT Id, FirstName, LastName, Email, Phone FROM Contact WHERE ${where}`)).records;
    expect((await q("LastName IN ('Davis', 'Shortphone')")).map((r) => r.LastName).sort()).toEqual(['Davis', 'Shortphone']);
    expect((await q("Email LIKE 'shared.inbox@%'")).length).toBe(2);
    expect((await q("NOT LastName LIKE '%a%'")).every((r) => !String(r.LastName).toLowerCase().includes('a'))).toBe(true);
    expect((await q('Email = null')).map((r) => r.LastName).sort()).toEqual(['Noemail', 'Nothing']);
    expect((await q('Email != null')).length).toBe(200);
    expect((await q("Phone = '12345' AND HasOptedOutOfEmail = false")).length).toBe(1);
    expect((await q('Score__c >= 0 AND Score__c <= 100')).length).toBeGreaterThan(100);
    expect((await q('Birthdate = 1990-02-28')).map((r) => r.FirstName)).toContain('Zoë');
    expect((await q('CreatedDate > 2024-01-01T00:00:00.000+0000 AND CreatedDate < 2999-01-01T00:00:00Z')).length).toBe(202);
    expect((await q("(LastName = 'Davis' OR LastName = 'Shared') AND FirstName != 'Sue'")).map((r) => r.FirstName).sort()).toEqual(['Josh', 'Sam']);
  });

  it('answers the SOQL jsforce builds from find(), sort(), limit() and count()', async () => {
    const rows = await sandbox.conn
      .sobject('Contact')
      .find<Row>(
        { $or: [{ LastName: 'Davis' }, { LastName: { $like: 'Short%' } }], Email: { $ne: null }, FirstName: { $nin: ['Nobody', "O'Hara"] } },
        ['Id', 'LastName', 'SystemModstamp'],
      )
      .sort({ SystemModstamp: 1, Id: -1 })
      .limit(10);
    expect(rows.map((r) => r.LastName).sort()).toEqual(['Davis', 'Shortphone']);
    expect(await sandbox.conn.sobject('Lead').count({ Company: { $ne: null } })).toBe(100);
  });

  it('expands FIELDS(STANDARD) / FIELDS(CUSTOM) and filters multi-select picklists with INCLUDES / EXCLUDES', async () => {
    const custom = await sandbox.conn.query<Row>('SELECT FIELDS(CUSTOM) FROM Contact LIMIT 1');
    expect(Object.keys(custom.records[0]!).filter((k) => k !== 'attributes').every((k) => k.endsWith('__c'))).toBe(true);
    const standard = await sandbox.conn.query<Row>('SELECT FIELDS(STANDARD) FROM Contact LIMIT 1');
    expect(standard.records[0]).toHaveProperty('SystemModstamp');
    expect(standard.records[0]).not.toHaveProperty('Score__c');
    const all = await sandbox.conn.query<Row>('SELECT Id, Interests__c FROM Contact WHERE Interests__c != null', { autoFetch: true });
    const expected = all.records.filter((r) => String(r.Interests__c).split(';').includes('Events')).map((r) => r.Id).sort();
    const included = await sandbox.conn.query<Row>("SELECT Id FROM Contact WHERE Interests__c INCLUDES ('Events')", { autoFetch: true });
    expect(included.records.map((r) => r.Id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    const excluded = await sandbox.conn.query("SELECT COUNT() FROM Contact WHERE Interests__c EXCLUDES ('Events')");
    expect(excluded.totalSize).toBe(202 - expected.length);
  });

  it('counts with COUNT()', async () => {
    const result = await sandbox.conn.query("SELECT COUNT() FROM Lead WHERE Company != null");
    expect(result.totalSize).toBe(100);
    expect(result.records).toEqual([]);
  });

  it('reports MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE as Salesforce does', async () => {
    await expect(sandbox.conn.query('SELECT Id FORM Contact')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: "\nSELECT Id FORM Contact\n               ^\nERROR at Row:1:Column:16\nunexpected token: 'Contact'",
    });
    await expect(sandbox.conn.query('SELECT Id, Nope__c FROM Contact')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nope__c' on entity 'Contact'."),
    });
    await expect(sandbox.conn.query('SELECT Id FROM Widget__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(sandbox.conn.query("SELECT Id FROM Contact WHERE SystemModstamp > '2024-01-01'")).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes"),
    });
    await expect(sandbox.conn.query("SELECT Id FROM Contact WHERE LastName = 'a' AND FirstName = 'b' OR Email = null")).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
  });

  it('answers INVALID_QUERY_LOCATOR for an unknown locator', async () => {
    await expect(sandbox.conn.queryMore('01gZZ0000000000AAA-200')).rejects.toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
  });
});

describe('describe', () => {
  it('describes Contact with standard and custom fields of every type the mapping form handles', async () => {
    const describe = await sandbox.conn.sobject('Contact').describe();
    expect(describe.name).toBe('Contact');
    expect(describe.keyPrefix).toBe('003');
    const field = (name: string) => describe.fields.find((f) => f.name === name)!;
    expect(field('FirstName')).toMatchObject({ type: 'string', length: 40, byteLength: 120, nillable: true, createable: true, updateable: true, soapType: 'xsd:string' });
    expect(field('LastName')).toMatchObject({ type: 'string', length: 80, nillable: false });
    expect(field('Title')).toMatchObject({ length: 128 });
    expect(field('Email')).toMatchObject({ type: 'email', length: 80 });
    expect(field('Phone')).toMatchObject({ type: 'phone' });
    expect(field('MobilePhone')).toMatchObject({ type: 'phone' });
    expect(field('Birthdate')).toMatchObject({ type: 'date', soapType: 'xsd:date' });
    expect(field('Last_Contacted__c')).toMatchObject({ type: 'datetime', custom: true });
    expect(field('Score__c')).toMatchObject({ type: 'double', precision: 18, scale: 2 });
    expect(field('Annual_Spend__c')).toMatchObject({ type: 'currency' });
    expect(field('Discount__c')).toMatchObject({ type: 'percent' });
    expect(field('Description')).toMatchObject({ type: 'textarea', length: 32000 });
    expect(field('HasOptedOutOfEmail')).toMatchObject({ type: 'boolean', nillable: false });
    expect(field("LeadSource").picklistValues!.map((p) => p.value)).toContain('Web');
    expect(field('Interests__c')).toMatchObject({ type: 'multipicklist' });
    expect(field('AccountId')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' });
    expect(field('OwnerId')).toMatchObject({ type: 'reference', referenceTo: ['User'] });
    expect(field('Id')).toMatchObject({ type: 'id', createable: false, updateable: false });
    expect(field('Full_Name__c')).toMatchObject({ calculated: true, createable: false, updateable: false, calculatedFormula: expect.any(String) });
    expect(field('Days_Since_Contact__c')).toMatchObject({ calculated: true, type: 'double' });
  });

  it('describes Lead (Company required, Status picklist) and Case, and 404s an unknown object', async () => {
    const lead = await sandbox.conn.sobject('Lead').describe();
    expect(lead.fields.find((f) => f.name === 'Company')).toMatchObject({ length: 255, nillable: false });
    expect(lead.fields.find((f) => f.name === 'FirstName')).toMatchObject({ length: 40 });
    expect(lead.fields.find((f) => f.name === "Status")!.picklistValues!.length).toBeGreaterThan(1);
    const kase = await sandbox.conn.sobject('Case').describe();
    expect(kase.keyPrefix).toBe('500');
    await expect(sandbox.conn.sobject('Widget__c').describe()).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    const global = await sandbox.conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(['Contact', 'Lead', 'Case', 'Account']);
  });
});
