import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type StartedSandbox } from './test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: { contacts: 0 } });
});
afterAll(() => sandbox.stop());

const control = async (path: string, body?: unknown) => {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('account control routes', () => {
  it('read a list size and contacts by e-mail without counting an API call', async () => {
    const list = await sandbox.client.contacts.createList({ name: 'Watched', folderId: 1 });
    await sandbox.client.contacts.createContact({ email: 'Ada@Example.test', attributes: { FIRSTNAME: 'Ada' }, listIds: [list.id!] });
    sandbox.calls.reset();

    expect(await control(`/accounts/acc_demo/lists/${list.id}`)).toEqual({ status: 200, body: { id: list.id, name: 'Watched', members: 1 } });
    const found = await control('/accounts/acc_demo/contacts/find', { emails: ['ada@example.test', 'nobody@example.test'] });
    expect(found.status).toBe(200);
    expect(found.body.contacts).toEqual([expect.objectContaining({ email: 'ada@example.test', attributes: { FIRSTNAME: 'Ada' }, listIds: [list.id] }), null]);
    expect(sandbox.calls.snapshot().total).toBe(0);
  });

  it('answer 404 for an unknown account or list and 400 for a malformed lookup', async () => {
    expect((await control('/accounts/acc_nobody/lists/2')).status).toBe(404);
    expect((await control('/accounts/acc_demo/lists/999')).status).toBe(404);
    expect((await control('/accounts/acc_demo/contacts/find', { emails: 'ada@example.test' })).status).toBe(400);
  });
});
