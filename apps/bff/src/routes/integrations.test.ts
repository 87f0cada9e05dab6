import { integrationModel } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import { Types } from 'mongoose';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, connectSalesforce, useTestBff } from '../test-support.ts';

const db = useTestDatabase('bff_integration_list');
// Kept for an hour: whatever the machine's speed, only this process's writes can make the list change.
const HOUR = 3_600_000;
const bff = useTestBff(db, {}, { listCache: { freshMs: HOUR, maxStaleMs: HOUR, maxAccounts: 100 } });
let tokenA: string;
let tokenB: string;

async function list(token: string, headers: Record<string, string> = {}) {
  const response = await request(bff.app).get('/api/v1/integrations').set(bearer(token)).set(headers);
  return { status: response.status, etag: response.headers.etag as string | undefined, integrations: (response.body.integrations ?? []) as { id: string; name: string; salesforce: { username: string } | null }[] };
}
const names = async (token: string) => (await list(token)).integrations.map((integration) => integration.name).sort();

/** A write that does not go through this BFF process (the worker, another BFF). */
const renameElsewhere = (id: string, name: string) =>
  integrationModel(db.connection).updateOne({ _id: new Types.ObjectId(id) }, { $set: { name, nameKey: name.toLowerCase() } }).exec();

async function create(token: string, name: string): Promise<string> {
  const created = await request(bff.app).post('/api/v1/integrations').set(bearer(token)).send({ kind: 'salesforce-contacts', name });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

beforeAll(async () => {
  tokenA = await bff.token({ accountId: 'acc_list_a', sub: 'user_a' });
  tokenB = await bff.token({ accountId: 'acc_list_b', sub: 'user_b' });
});

describe('GET /api/v1/integrations, answered from the per-account cache', () => {
  it("keeps the account's answer: a write from elsewhere is not seen while it is kept", async () => {
    const id = await create(tokenA, 'Kept');
    expect(await names(tokenA)).toEqual(['Kept']);
    await renameElsewhere(id, 'Renamed by another process');
    expect(await names(tokenA)).toEqual(['Kept']);
  });

  it("shows this process's own writes to the user at once: create, rename, Salesforce connection, delete", async () => {
    const id = await create(tokenA, 'Created');
    expect(await names(tokenA)).toEqual(['Created', 'Renamed by another process']);

    expect((await request(bff.app).patch(`/api/v1/integrations/${id}`).set(bearer(tokenA)).send({ name: 'Renamed here' })).status).toBe(200);
    expect(await names(tokenA)).toEqual(['Renamed by another process', 'Renamed here']);

    // The OAuth callback carries no host token: the write itself tells the cache.
    await connectSalesforce(bff, tokenA, id);
    expect((await list(tokenA)).integrations.find((integration) => integration.id === id)?.salesforce?.username).toBe('demo@acme.test');

    expect((await request(bff.app).delete(`/api/v1/integrations/${id}`).set(bearer(tokenA))).status).toBe(204);
    expect(await names(tokenA)).toEqual(['Renamed by another process']);
  });

  it("forgets only the written account's answer, and never shows one account's list to another", async () => {
    const idB = await create(tokenB, 'B one');
    expect(await names(tokenB)).toEqual(['B one']);
    await renameElsewhere(idB, 'B renamed elsewhere');

    await create(tokenA, 'A again');
    expect(await names(tokenA)).toEqual(['A again', 'Renamed by another process']);
    expect(await names(tokenB)).toEqual(['B one']); // B's answer was not forgotten by A's write

    await create(tokenB, 'B two');
    expect(await names(tokenB)).toEqual(['B renamed elsewhere', 'B two']);
  });

  it('answers 304 to a matching If-None-Match, and a new ETag after a write', async () => {
    const first = await list(tokenA);
    expect(first.etag).toMatch(/^"[\w-]+"$/);
    expect((await list(tokenA, { 'if-none-match': first.etag! })).status).toBe(304);

    await create(tokenA, 'Changes the ETag');
    const changed = await list(tokenA, { 'if-none-match': first.etag! });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(first.etag);
    expect(changed.integrations.map((integration) => integration.name)).toContain('Changes the ETag');
  });
});
