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

  it('creates an org of its own with a user and generated Contacts at the user\'s domain; a reset drops it', async () => {
    const created = await fetch(`${sandbox.url}/__sandbox/orgs`, json({ name: 'Fleet 7', username: 'Admin@Org7.Fleet.test', password: 'fleet-pass-7', contacts: 120 }));
    expect(created.status).toBe(201);
    const org = (await created.json()) as { orgId: string; userId: string; username: string; contacts: number };
    expect(org).toMatchObject({ username: 'admin@org7.fleet.test', contacts: 120 });
    expect(org.orgId).toMatch(/^00D/);

    const conn = await login(sandbox.url, 'admin@org7.fleet.test', 'fleet-pass-7');
    const identity = await conn.identity();
    expect([identity.organization_id, identity.user_id]).toEqual([org.orgId, org.userId]);
    const { records } = await conn.query<{ Email: string | null }>('SELECT Email FROM Contact');
    expect(records).toHaveLength(120);
    expect(records.filter((record) => record.Email !== null).every((record) => record.Email!.endsWith('@org7.fleet.test'))).toBe(true);
    // The demo org is its own.
    expect((await (await login(sandbox.url)).query('SELECT COUNT() FROM Contact')).totalSize).not.toBe(120);

    expect((await fetch(`${sandbox.url}/__sandbox/orgs`, json({ name: 'Again', username: 'admin@org7.fleet.test', password: 'fleet-pass-7' }))).status).toBe(409);
    for (const body of [{ name: 'x', username: 'not-an-email', password: 'fleet-pass-7' }, { name: 'x', username: 'a@b.test', password: 'short' }, { name: 'x', username: 'a@b.test', password: 'fleet-pass-7', contacts: 100_001 }, { name: 'x', username: 'a@b.test', password: 'fleet-pass-7', admin: true }]) {
      expect((await fetch(`${sandbox.url}/__sandbox/orgs`, json(body))).status, JSON.stringify(body)).toBe(400);
    }

    expect((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    await expect(login(sandbox.url, 'admin@org7.fleet.test', 'fleet-pass-7')).rejects.toThrow(/login failed/);
  });

  it('gives no two orgs a record Id in common, generated or created through the API, as Salesforce Ids are unique across orgs', async () => {
    const orgs = ['org21', 'org22'];
    for (const [i, org] of orgs.entries()) {
      expect((await fetch(`${sandbox.url}/__sandbox/orgs`, json({ name: `Fleet ${i}`, username: `admin@${org}.fleet.test`, password: 'fleet-pass-21', contacts: 60 }))).status).toBe(201);
    }
    const conns = [await login(sandbox.url), ...(await Promise.all(orgs.map((org) => login(sandbox.url, `admin@${org}.fleet.test`, 'fleet-pass-21'))))];
    const idsOf = async (conn: (typeof conns)[number]) => {
      const created = await conn.sobject('Contact').create({ LastName: 'Created', Email: 'created@ids.test' });
      if (!created.success) throw new Error(JSON.stringify(created));
      return (await conn.query<{ Id: string }>('SELECT Id FROM Contact')).records.map((record) => record.Id);
    };
    const ids = await Promise.all(conns.map(idsOf));
    expect(ids.slice(1).map((list) => list.length)).toEqual([61, 61]);
    expect(new Set(ids.flat()).size).toBe(ids.flat().length);

    expect((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
  });

  it('answers API calls after the latency set through /__sandbox/latency, and not its control routes', async () => {
    const conn = await login(sandbox.url);
    const put = await fetch(`${sandbox.url}/__sandbox/latency`, { ...json({ minMs: 200, maxMs: 250 }), method: 'PUT' });
    expect(put.status).toBe(200);
    try {
      const started = performance.now();
      await conn.query('SELECT Id FROM Contact LIMIT 1');
      expect(performance.now() - started).toBeGreaterThanOrEqual(198);
      const control = performance.now();
      await fetch(`${sandbox.url}/__sandbox/api-usage`);
      expect(performance.now() - control).toBeLessThan(150);
    } finally {
      await fetch(`${sandbox.url}/__sandbox/latency`, { method: 'DELETE' });
    }
  });
});
