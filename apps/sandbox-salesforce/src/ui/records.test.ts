import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE } from '../seed/demo.ts';
import { startSandbox, type StartedSandbox } from '../test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.server.close();
});

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${sandbox.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', headers: { origin: sandbox.url, ...headers } });
}

function rowByLastName(lastName: string) {
  return [...sandbox.org.tables.Contact.values()].find((r) => r.LastName === lastName)!;
}

describe('records UI', () => {
  it('lists contacts newest first, escaped, unframeable', async () => {
    const response = await fetch(`${sandbox.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).toContain('<h1>Contacts</h1>');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;');
    const leads = await (await fetch(`${sandbox.url}/?object=Lead&page=2`)).text();
    expect(leads).toContain('<h1>Leads</h1>');
    expect(leads).toContain('Page 2 of 4');
  });

  it('edits a record through Salesforce validation and moves SystemModstamp', async () => {
    const row = rowByLastName('Shortphone');
    const before = row.SystemModstamp;
    const edit = await (await fetch(`${sandbox.url}/records/Contact/${row.Id}`)).text();
    expect(edit).toContain('name="FirstName" value="Penny"');

    const tooLong = await post(`/records/Contact/${row.Id}`, { LastName: 'Shortphone', FirstName: 'X'.repeat(41), Phone: '12345' });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('STRING_TOO_LONG: First Name: data value too large');
    expect(row.FirstName).toBe('Penny');

    const saved = await post(`/records/Contact/${row.Id}`, { LastName: 'Shortphone', FirstName: 'Penelope', Phone: '+39 333 1234567', Email: 'penny.shortphone@example.com' });
    expect(saved.status).toBe(303);
    expect(row.FirstName).toBe('Penelope');
    expect(row.Phone).toBe('+39 333 1234567');
    expect(row.SystemModstamp).toBeGreaterThan(before);
  });

  it('opens a record from its Id alone, as https://<instance>/<Id> does in Salesforce', async () => {
    const row = rowByLastName('Letters');
    const response = await fetch(`${sandbox.url}/${row.Id}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/records/Contact/${row.Id}`);
    expect((await fetch(`${sandbox.url}/${row.Id.slice(0, 15)}`, { redirect: 'manual' })).headers.get('location')).toBe(`/records/Contact/${row.Id}`);
    expect((await fetch(`${sandbox.url}/003000000000000AAA`, { redirect: 'manual' })).status).toBe(404);
  });

  it('creates and deletes; refuses to delete the Contact with a Case', async () => {
    const created = await post('/records/Lead', { LastName: 'Uiperson', Company: 'UI Co', Email: 'ui@example.com' });
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/records\/Lead\/00Q/);
    const deleted = await post(`${location}/delete`, {});
    expect(deleted.status).toBe(303);
    expect((await fetch(`${sandbox.url}${location}`)).status).toBe(404);

    const davis = rowByLastName(EDGE.contactWithCase.LastName);
    const refused = await post(`/records/Contact/${davis.Id}/delete`, {});
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('DELETE_FAILED');
    expect(davis.IsDeleted).toBe(false);
  });

  it('converts a lead from its record page; the converted lead is shown read-only and its edits are refused', async () => {
    const created = await post('/records/Lead', { LastName: 'Convertible', FirstName: 'Connie', Company: 'Convert Co', Email: 'connie@example.com', City: 'Turin' });
    const location = created.headers.get('location')!;
    const leadPage = await (await fetch(`${sandbox.url}${location}`)).text();
    expect(leadPage).toContain(`<a href="${location}/convert">Convert</a>`);
    const dialog = await (await fetch(`${sandbox.url}${location}/convert`)).text();
    expect(dialog).toContain('<option>Closed - Converted</option>');

    const wrongContact = await post(`${location}/convert`, { convertedStatus: 'Closed - Converted', contactId: '003000000000000AAA' });
    expect(wrongContact.status).toBe(400);
    expect(await wrongContact.text()).toContain('INVALID_CROSS_REFERENCE_KEY: invalid cross reference id: 003000000000000AAA');

    const converted = await post(`${location}/convert`, { convertedStatus: 'Closed - Converted' });
    expect(converted.status).toBe(303);
    const contactLocation = converted.headers.get('location')!;
    expect(contactLocation).toMatch(/^\/records\/Contact\/003/);
    const contact = sandbox.org.tables.Contact.get(contactLocation.split('/').at(-1)!)!;
    expect(contact).toMatchObject({ FirstName: 'Connie', LastName: 'Convertible', Email: 'connie@example.com', MailingCity: 'Turin' });

    const lead = sandbox.org.tables.Lead.get(location.split('/').at(-1)!)!;
    expect(lead).toMatchObject({ IsConverted: true, ConvertedContactId: contact.Id, Status: 'Closed - Converted' });
    const readOnly = await (await fetch(`${sandbox.url}${location}`)).text();
    expect(readOnly).toContain('This lead was converted');
    expect(readOnly).not.toContain('<button type="submit">Save</button>');
    const edit = await post(location, { LastName: 'Convertible', Company: 'Convert Co', Title: 'Boss' });
    expect(edit.status).toBe(400);
    expect(await edit.text()).toContain('CANNOT_UPDATE_CONVERTED_LEAD: cannot reference converted lead');
    expect(lead.Title).toBeUndefined();
  });

  it('refuses cross-site posts', async () => {
    const row = rowByLastName('Nothing');
    const response = await post(`/records/Contact/${row.Id}/delete`, {}, { origin: 'https://evil.test' });
    expect(response.status).toBe(403);
    expect(row.IsDeleted).toBe(false);
  });
});
