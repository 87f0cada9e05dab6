import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContactId, startSandbox, type StartedSandbox } from '../test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: { contacts: 30 } });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.state.reset());

describe('sandbox contacts UI', () => {
  it('lists contacts 25 per page with attributes and list names, escaping everything', async () => {
    const id = await createContactId(sandbox.client, { email: 'xss@example.test', attributes: { FIRSTNAME: '<img src=x onerror=alert(1)>' }, listIds: [3] });
    const page1 = await (await fetch(`${sandbox.url}/`)).text();
    expect(page1).toContain('xss@example.test');
    expect(page1).toContain('FIRSTNAME=&lt;img src=x onerror=alert(1)&gt;');
    expect(page1).not.toContain('<img src=x');
    expect(page1).toContain('Newsletter');
    expect(page1).toContain('Page 1 of 2');
    expect(page1.match(/<tr>/g)).toHaveLength(25 + 1);
    const page2 = await (await fetch(`${sandbox.url}/?page=2`)).text();
    expect(page2.match(/<tr>/g)).toHaveLength(6 + 1);
    const edit = await (await fetch(`${sandbox.url}/contacts/${id}`)).text();
    expect(edit).toContain('value="&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('edits attributes (validated like the API) and deletes contacts', async () => {
    const id = await createContactId(sandbox.client, { email: 'edit@example.test' });
    const bad = await fetch(`${sandbox.url}/contacts/${id}`, { method: 'POST', body: new URLSearchParams({ email: 'edit@example.test', attr_SMS: '12' }), redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Invalid phone number');
    const ok = await fetch(`${sandbox.url}/contacts/${id}`, { method: 'POST', body: new URLSearchParams({ email: 'edit@example.test', attr_LASTNAME: 'Edited', attr_NEWSLETTER: 'true', attr_SCORE: '4.5' }), redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect((await sandbox.client.contacts.getContactInfo({ identifier: id })).attributes).toEqual({ LASTNAME: 'Edited', NEWSLETTER: true, SCORE: 4.5 });
    await fetch(`${sandbox.url}/contacts/${id}/delete`, { method: 'POST', redirect: 'manual' });
    expect(sandbox.state.account('acc_demo').contacts.get(id)).toBeUndefined();
    expect((await fetch(`${sandbox.url}/contacts/999999`)).status).toBe(404);
  });
});
