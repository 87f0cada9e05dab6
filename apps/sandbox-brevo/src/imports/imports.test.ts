import type { BrevoClient } from '@getbrevo/brevo';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brevoError, createContactId, startReceiver, startSandbox, waitFor, type StartedSandbox } from '../test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  // Conformance of each endpoint's shape, many calls a second in a row: Brevo's 10 calls/s would answer 429s the test is not about (rate-limit.test.ts checks the limits).
  sandbox = await startSandbox({ rateLimits: { enabled: false }, seed: { contacts: 0 } });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.state.reset());

async function finished(client: BrevoClient, processId: number) {
  return waitFor(async () => {
    const process = await client.process.getProcess({ processId });
    return process.status === 'completed' || process.status === 'failed' ? process : undefined;
  }, 20_000);
}

describe('contact import', () => {
  it("with updateExistingContacts false, an existing contact's row is skipped, named in no report, and the list's uniqueSubscribers grows by the rows created", async () => {
    const { client } = sandbox;
    await createContactId(client, { email: 'taken@example.test', ext_id: 'SF-OTHER' });
    const before = (await client.contacts.getList({ listId: 3 })).uniqueSubscribers;
    const { processId } = await client.contacts.importContacts({
      listIds: [3],
      updateExistingContacts: false,
      jsonBody: [
        { email: 'fresh1@example.test', attributes: { EXT_ID: 'SF-A' } },
        { email: 'taken@example.test', attributes: { EXT_ID: 'SF-B', LASTNAME: 'Not written' } },
        { email: 'fresh2@example.test', attributes: { EXT_ID: 'SF-C' } },
      ],
    });
    const process = await finished(client, processId);
    expect(process.status).toBe('completed');
    expect(Object.values(process.info!.import!).every((url) => url === null)).toBe(true);
    expect((await client.contacts.getList({ listId: 3 })).uniqueSubscribers).toBe(before + 2);
    const taken = await client.contacts.getContactInfo({ identifier: 'taken@example.test', identifierType: 'email_id' });
    expect(taken.attributes).toMatchObject({ EXT_ID: 'SF-OTHER' });
    expect(taken.attributes).not.toHaveProperty('LASTNAME');
    expect(taken.listIds).not.toContain(3);
    // The skipped row's ext_id names no contact (GET /contacts/{identifier}?identifierType=ext_id).
    expect((await brevoError(client.contacts.getContactInfo({ identifier: 'SF-B', identifierType: 'ext_id' }))).statusCode).toBe(404);
  });

  it('emailBlacklist blocklists every contact the import creates, and they count in uniqueSubscribers', async () => {
    const { client } = sandbox;
    const before = (await client.contacts.getList({ listId: 3 })).uniqueSubscribers;
    const { processId } = await client.contacts.importContacts({
      listIds: [3],
      updateExistingContacts: false,
      emailBlacklist: true,
      jsonBody: [
        { email: 'out1@example.test', attributes: { EXT_ID: 'SF-OUT1' } },
        { email: 'out2@example.test', attributes: { EXT_ID: 'SF-OUT2' } },
      ],
    });
    expect((await finished(client, processId)).status).toBe('completed');
    expect((await client.contacts.getList({ listId: 3 })).uniqueSubscribers).toBe(before + 2);
    for (const extId of ['SF-OUT1', 'SF-OUT2']) expect(await client.contacts.getContactInfo({ identifier: extId, identifierType: 'ext_id' })).toMatchObject({ emailBlacklisted: true, listIds: [3] });
  });

  it('imports jsonBody asynchronously and reports the rows it could not import', async () => {
    const { client } = sandbox;
    const existing = await createContactId(client, { email: 'taken@example.test', ext_id: 'SF-TAKEN' });
    const paused = await fetch(`${sandbox.url}/__sandbox/imports/paused`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused: true }) });
    expect(await paused.json()).toEqual({ paused: true });
    const response = await client.contacts
      .importContacts({
        listIds: [3],
        jsonBody: [
          { email: 'new1@example.test', attributes: { FIRSTNAME: 'New', EXT_ID: 'SF-1', SMS: '+33612345671', NOT_IN_ACCOUNT: 'ignored' } },
          { email: 'not-an-email', attributes: { FIRSTNAME: 'Bad' } },
          { email: 'new2@example.test', attributes: { EXT_ID: 'SF-TAKEN' } },
          { email: 'new1@example.test', attributes: { FIRSTNAME: 'Repeated' } },
          { email: 'taken@example.test', attributes: { LASTNAME: 'Updated' } },
        ],
      })
      .withRawResponse();
    expect(response.rawResponse.status).toBe(202);
    const { processId } = response.data;
    expect((await client.process.getProcess({ processId })).status).toBe('queued');
    expect((await client.contacts.getContacts()).count).toBe(1);
    await fetch(`${sandbox.url}/__sandbox/imports/paused`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused: false }) });

    const process = await finished(client, processId);
    expect(process).toMatchObject({ id: processId, name: 'IMPORTUSER', status: 'completed' });
    const report = process.info!.import!;
    expect(report.duplicate_contact_id).toBeNull();
    for (const kind of ['invalid_emails', 'duplicate_ext_id', 'duplicate_email_id'] as const) expect(report[kind]).toMatch(/^http:\/\/.+\.csv$/);
    const invalid = await (await fetch(report.invalid_emails!)).text();
    expect(invalid).toContain('not-an-email');
    expect(await (await fetch(report.duplicate_ext_id!)).text()).toContain('SF-TAKEN');

    const imported = await client.contacts.getContactInfo({ identifier: 'SF-1', identifierType: 'ext_id' });
    expect(imported).toMatchObject({ email: 'new1@example.test', listIds: [3], attributes: { FIRSTNAME: 'New', SMS: '33612345671', EXT_ID: 'SF-1' } });
    expect(imported.attributes).not.toHaveProperty('NOT_IN_ACCOUNT');
    expect((await client.contacts.getContactInfo({ identifier: existing })).attributes).toMatchObject({ LASTNAME: 'Updated' });
    expect((await client.contacts.getContactsFromList({ listId: 3 })).count).toBe(2);
    const unknown = await brevoError(client.process.getProcess({ processId: 99_999 }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toEqual({ code: 'invalid_parameter', message: 'processId is invalid' });
    const processes = await client.process.getProcesses();
    expect(processes.count).toBe(1);
    expect(processes.processes[0]).toMatchObject({ id: processId, status: 'completed' });
  });

  it('imports a semicolon CSV fileBody into a new list, keeps data on empty fields unless asked', async () => {
    const { client } = sandbox;
    await createContactId(client, { email: 'keep@example.test', attributes: { FIRSTNAME: 'Keep', COMPANY: 'Acme' } });
    const first = await client.contacts.importContacts({
      fileBody: 'EMAIL;FIRSTNAME;COMPANY;BIRTHDAY\nkeep@example.test;Kept;;1990-01-31\n"quoted@example.test";"Semi;colon";Beta;not-a-date\n',
      newList: { listName: 'CSV import', folderId: 1 },
    });
    await finished(client, first.processId);
    expect((await client.contacts.getContactInfo({ identifier: 'keep@example.test' })).attributes).toEqual({ FIRSTNAME: 'Kept', COMPANY: 'Acme', BIRTHDAY: '1990-01-31' });
    const quoted = await client.contacts.getContactInfo({ identifier: 'quoted@example.test' });
    expect(quoted.attributes).toEqual({ FIRSTNAME: 'Semi;colon', COMPANY: 'Beta' });
    const lists = await client.contacts.getLists({ limit: 50 });
    const csvList = lists.lists!.find((l) => l.name === 'CSV import')!;
    expect(quoted.listIds).toEqual([csvList.id]);

    const second = await client.contacts.importContacts({ fileBody: 'EMAIL;COMPANY\nkeep@example.test;\n', listIds: [2], emptyContactsAttributes: true });
    await finished(client, second.processId);
    expect((await client.contacts.getContactInfo({ identifier: 'keep@example.test' })).attributes).not.toHaveProperty('COMPANY');
    const noUpdate = await client.contacts.importContacts({ jsonBody: [{ email: 'keep@example.test', attributes: { FIRSTNAME: 'Nope' } }], listIds: [2], updateExistingContacts: false });
    await finished(client, noUpdate.processId);
    expect((await client.contacts.getContactInfo({ identifier: 'keep@example.test' })).attributes).toMatchObject({ FIRSTNAME: 'Kept' });
  });

  it('imports a file from fileUrl (CSV or JSON) and fails the process when the file cannot be read', async () => {
    const { createServer } = await import('node:http');
    const files = createServer((req, res) => {
      if (req.url === '/contacts.csv') res.end('EMAIL;LASTNAME;SMS\nurl1@example.test;Url;+447911123456\n');
      else if (req.url === '/contacts.json') res.end(JSON.stringify([{ email: 'url2@example.test', attributes: { LASTNAME: 'Json' } }]));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
    try {
      const { client } = sandbox;
      const csv = await client.contacts.importContacts({ fileUrl: `${base}/contacts.csv`, listIds: [2] });
      expect((await finished(client, csv.processId)).status).toBe('completed');
      expect((await client.contacts.getContactInfo({ identifier: 'url1@example.test' })).attributes).toEqual({ LASTNAME: 'Url', SMS: '447911123456' });
      const json = await client.contacts.importContacts({ fileUrl: `${base}/contacts.json`, listIds: [2] });
      expect((await finished(client, json.processId)).status).toBe('completed');
      expect((await client.contacts.getContactInfo({ identifier: 'url2@example.test' })).attributes).toEqual({ LASTNAME: 'Json' });
      const missing = await client.contacts.importContacts({ fileUrl: `${base}/missing.csv`, listIds: [2] });
      expect((await finished(client, missing.processId)).status).toBe('failed');
    } finally {
      files.closeAllConnections();
      await new Promise((resolve) => files.close(resolve));
    }
  });

  it('refuses an import without rows or without a list, and a body over 10 MB', async () => {
    const { client } = sandbox;
    expect((await brevoError(client.contacts.importContacts({ listIds: [2] }))).body).toMatchObject({ code: 'missing_parameter' });
    expect((await brevoError(client.contacts.importContacts({ jsonBody: [{ email: 'a@example.test' }] }))).body).toMatchObject({ code: 'missing_parameter' });
    expect((await brevoError(client.contacts.importContacts({ jsonBody: [{ email: 'a@example.test' }], listIds: [999] }))).statusCode).toBe(400);
    const huge = 'EMAIL\n' + 'x'.repeat(10 * 1024 * 1024 + 10);
    const tooBig = await brevoError(client.contacts.importContacts({ fileBody: huge, listIds: [2] }));
    expect(tooBig.statusCode).toBe(400);
  });

  it('can fail half-way (injected), leaving the rows before the failure imported', async () => {
    const { client } = sandbox;
    const fault = await fetch(`${sandbox.url}/__sandbox/imports/fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ afterRows: 3 }) });
    expect(fault.status).toBe(201);
    const rows = Array.from({ length: 10 }, (_, i) => ({ email: `half${i}@example.test` }));
    const { processId } = await client.contacts.importContacts({ jsonBody: rows, listIds: [2] });
    const process = await finished(client, processId);
    expect(process.status).toBe('failed');
    expect(process.info).toBeUndefined();
    expect((await client.contacts.getContacts({ limit: 50 })).count).toBe(3);
    const next = await client.contacts.importContacts({ jsonBody: rows, listIds: [2] });
    expect((await finished(client, next.processId)).status).toBe('completed');
  });

  it('calls notifyUrl when the process ends and fires contact webhooks for imported contacts', async () => {
    const receiver = await startReceiver();
    try {
      const { client } = sandbox;
      await client.webhooks.createWebhook({ url: `${receiver.url}/hook`, type: 'marketing', events: ['contactUpdated'] });
      const { processId } = await client.contacts.importContacts({ jsonBody: [{ email: 'n1@example.test' }, { email: 'n2@example.test' }], listIds: [2], notifyUrl: `${receiver.url}/notify` });
      const notify = await waitFor(() => receiver.received.find((r) => r.path === '/notify'));
      expect(notify.body).toMatchObject({ processId, status: 'completed' });
      await waitFor(() => receiver.received.filter((r) => r.path === '/hook').length >= 2 || undefined);
    } finally {
      await receiver.close();
    }
  });

  it('imports 100,000 contacts in 20 calls of 5,000 quickly, staying responsive', async () => {
    const { client } = sandbox;
    const started = Date.now();
    const ids: number[] = [];
    for (let call = 0; call < 20; call++) {
      const jsonBody = Array.from({ length: 5000 }, (_, i) => {
        const n = call * 5000 + i;
        return { email: `bulk${n}@example.test`, attributes: { FIRSTNAME: `First${n}`, LASTNAME: `Last${n}`, EXT_ID: `003BULK${n}`, SCORE: n % 100 } };
      });
      ids.push((await client.contacts.importContacts({ jsonBody, listIds: [2] })).processId);
    }
    const pingStarted = Date.now();
    await client.account.getAccount();
    expect(Date.now() - pingStarted).toBeLessThan(2000);
    for (const id of ids) expect((await finished(client, id)).status).toBe('completed');
    expect(Date.now() - started).toBeLessThan(45_000);
    expect((await client.contacts.getContacts({ limit: 1 })).count).toBe(100_000);
    expect((await client.contacts.getContactsFromList({ listId: 2, limit: 1 })).count).toBe(100_000);
    expect((await client.contacts.getContactInfo({ identifier: '003BULK99999', identifierType: 'ext_id' })).email).toBe('bulk99999@example.test');
    const page = await client.contacts.getContacts({ limit: 1000, offset: 50_000, sort: 'asc' });
    expect(page.contacts).toHaveLength(1000);
    expect(page.contacts[0]!.email).toBe('bulk50000@example.test');
  }, 60_000);
});
