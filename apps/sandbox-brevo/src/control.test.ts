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

describe('fleet control routes', () => {
  it('add an API key for another account: it works at once, in that account only; a duplicate or malformed key is refused', async () => {
    const key = 'xkeysib-fleet-0001-abcdef';
    expect(await control('/api-keys', { key, accountId: 'acc_fleet_1', name: 'fleet 1' })).toEqual({ status: 201, body: { accountId: 'acc_fleet_1', name: 'fleet 1' } });
    const list = await sandbox.clientWithKey(key).contacts.createList({ name: 'Fleet list', folderId: 1 });
    await sandbox.clientWithKey(key).contacts.createContact({ email: 'fleet@example.test', listIds: [list.id!] });
    expect((await control(`/accounts/acc_fleet_1/lists/${list.id}`)).body).toMatchObject({ name: 'Fleet list', members: 1 });
    expect((await control('/accounts/acc_demo/contacts/find', { emails: ['fleet@example.test'] })).body.contacts).toEqual([null]);

    expect((await control('/api-keys', { key, accountId: 'acc_other', name: 'again' })).status).toBe(409);
    for (const body of [{ key: 'not-a-key', accountId: 'acc_x', name: 'x' }, { key: 'xkeysib-fleet-0002-abcdef', accountId: 'acc x/..', name: 'x' }, { key: 'xkeysib-fleet-0002-abcdef', accountId: 'acc_x' }, { key: 'xkeysib-fleet-0002-abcdef', accountId: 'acc_x', name: 'x', admin: true }]) {
      expect((await control('/api-keys', body)).status, JSON.stringify(body)).toBe(400);
    }
    await expect(sandbox.clientWithKey('xkeysib-fleet-0002-abcdef').contacts.getLists()).rejects.toThrow();
  });

  it('answer API calls after the latency set through /__sandbox/latency', async () => {
    const put = await fetch(`${sandbox.url}/__sandbox/latency`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minMs: 200, maxMs: 250 }) });
    expect(put.status).toBe(200);
    try {
      const started = performance.now();
      await sandbox.client.contacts.getLists();
      expect(performance.now() - started).toBeGreaterThanOrEqual(198);
    } finally {
      await fetch(`${sandbox.url}/__sandbox/latency`, { method: 'DELETE' });
    }
    const started = performance.now();
    await sandbox.client.contacts.getLists();
    expect(performance.now() - started).toBeLessThan(150);
  });
});

