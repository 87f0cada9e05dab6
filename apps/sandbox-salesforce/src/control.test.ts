import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startSandbox, type StartedSandbox } from './test-support.ts';

let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.server.close();
});

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('/__sandbox control routes', () => {
  it('generates records that queries then see, lists records, and resets to the seed', async () => {
    const generated = await fetch(`${sandbox.url}/__sandbox/generate`, json({ object: 'Lead', count: 5000, seed: 3 }));
    expect(generated.status).toBe(201);
    expect(await generated.json()).toMatchObject({ created: 5000, object: 'Lead', total: 5100 });

    const conn = await login(sandbox.url);
    expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(5100);
    expect((await conn.query("SELECT COUNT() FROM Lead WHERE Phone = '12345'")).totalSize).toBe(101);

    const listed = (await (await fetch(`${sandbox.url}/__sandbox/records/lead?limit=3&offset=5098`)).json()) as {
      total: number;
      records: { attributes: { type: string }; Id: string }[];
    };
    expect(listed.total).toBe(5100);
    expect(listed.records).toHaveLength(2);
    expect(listed.records[0]!.attributes.type).toBe('Lead');

    expect((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    const after = (await (await fetch(`${sandbox.url}/__sandbox/records/Lead?limit=1`)).json()) as { total: number };
    expect(after.total).toBe(100);
    // Reset revokes tokens, as a fresh org would have none.
    await expect(conn.query('SELECT Id FROM Lead LIMIT 1')).rejects.toThrow(/expired access\/refresh token/);
  });

  it('reads and sets the daily API usage; refuses bad bodies', async () => {
    const put = await fetch(`${sandbox.url}/__sandbox/api-usage`, { ...json({ used: 7, limit: 50 }), method: 'PUT' });
    expect(await put.json()).toEqual({ used: 7, limit: 50 });
    expect(await (await fetch(`${sandbox.url}/__sandbox/api-usage`)).json()).toEqual({ used: 7, limit: 50 });
    const bad = await fetch(`${sandbox.url}/__sandbox/api-usage`, { ...json({ used: -1 }), method: 'PUT' });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${sandbox.url}/__sandbox/tokens/revoke`, json({ username: 'who@nowhere.test' }));
    expect(unknown.status).toBe(400);
  });
});
