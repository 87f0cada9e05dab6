import { createSyncStore, ensureSyncIndexes, type SyncStore } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';

// The sync's collections, against the local MongoDB-compatible server.
const database = useTestDatabase('sync_store');
let store: SyncStore;

beforeAll(async () => {
  store = createSyncStore(database.connection.db!);
  await ensureSyncIndexes(store);
});

describe('quota reservations (R16)', () => {
  it('charges a page once, refunds what was not made, and reuses a reservation on replay', async () => {
    const first = await store.quota.reserve('int-q1', '2026-11', 'page-a', 10, 100);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(await store.quota.used('int-q1', '2026-11')).toBe(10);

    // A replay of the same page (after a crash) finds the reservation: nothing charged twice.
    const replay = await store.quota.reserve('int-q1', '2026-11', 'page-a', 8, 100);
    expect(replay.ok && replay.reservation.reserved).toBe(10);
    expect(await store.quota.used('int-q1', '2026-11')).toBe(10);

    await store.quota.settle(first.reservation, 7);
    expect(await store.quota.used('int-q1', '2026-11')).toBe(7);
    // Settling twice changes nothing.
    await store.quota.settle(first.reservation, 0);
    expect(await store.quota.used('int-q1', '2026-11')).toBe(7);
    // A replay after settling that makes 2 more writes is charged just those 2.
    const again = await store.quota.reserve('int-q1', '2026-11', 'page-a', 9, 100);
    expect(again.ok && again.reservation.reserved).toBe(9);
    expect(await store.quota.used('int-q1', '2026-11')).toBe(9);
  });

  it('extends a replayed reservation that needs more, and refuses past the limit', async () => {
    const a = await store.quota.reserve('int-q2', '2026-11', 'p1', 5, 20);
    expect(a.ok).toBe(true);
    const more = await store.quota.reserve('int-q2', '2026-11', 'p1', 9, 20);
    expect(more.ok && more.reservation.reserved).toBe(9);
    expect(await store.quota.used('int-q2', '2026-11')).toBe(9);
    const refused = await store.quota.reserve('int-q2', '2026-11', 'p2', 12, 20);
    expect(refused).toEqual({ ok: false, available: 11, used: 9 });
    expect(await store.quota.used('int-q2', '2026-11')).toBe(9);
  });

  it("reserves a chunk's first attempt in one write; a replay adds to an earlier attempt's reservation what that attempt made", async () => {
    const monitored = await mongoose.createConnection(database.uri, { monitorCommands: true }).asPromise();
    try {
      const commands: string[] = [];
      monitored.getClient().on('commandStarted', (event) => commands.push(event.commandName));
      const { quota } = createSyncStore(monitored.db!);
      let asked = 0;
      const madeBefore = (made: number) => async () => {
        asked += 1;
        return made;
      };
      // A month with no document yet: made by the same write. Nothing was reserved before, so nothing was made before.
      const first = await quota.reserve('int-q5', '2026-11', 'p1', 4, 10, madeBefore(0));
      expect(first).toEqual({ ok: true, reservation: expect.objectContaining({ reserved: 4, usedAfter: 4, earlier: undefined }) });
      expect(commands).toEqual(['findAndModify']);
      expect(asked).toBe(0);
      // A replay of the chunk: the earlier attempt reserved 4 and made 3 (its links say so); this one plans 2: 5 in all.
      const replay = await quota.reserve('int-q5', '2026-11', 'p1', 2, 10, madeBefore(3));
      expect(replay).toEqual({ ok: true, reservation: expect.objectContaining({ reserved: 5, usedAfter: 5, earlier: 4 }) });
      expect(asked).toBe(1);
      // Past the limit: nothing written, and what this attempt could still make.
      expect(await quota.reserve('int-q5', '2026-11', 'p2', 6, 10, madeBefore(0))).toEqual({ ok: false, available: 5, used: 5 });
      expect(await quota.reserve('int-q5', '2026-11', 'p2', 11, 10, madeBefore(0))).toEqual({ ok: false, available: 5, used: 5 });
      // A replay past the limit can still make the month's rest and what its key holds beyond what was made under it.
      expect(await quota.reserve('int-q5', '2026-11', 'p1', 8, 10, madeBefore(3))).toEqual({ ok: false, available: 7, used: 5 });
      expect(await quota.used('int-q5', '2026-11')).toBe(5);
      const second = await quota.reserve('int-q5', '2026-11', 'p2', 5, 10);
      expect(second).toMatchObject({ ok: true, reservation: { reserved: 5, usedAfter: 10 } });
      if (!second.ok || !replay.ok) return;

      // Settled to what the chunk made and forgotten in one write: the month keeps what was made.
      expect(await quota.settleAndRelease(second.reservation, 4)).toBe(9);
      expect(await quota.used('int-q5', '2026-11')).toBe(9);
      expect(await quota.reservationOf('int-q5', '2026-11', 'p2')).toBeUndefined();
      await quota.settleAndRelease(replay.reservation, 3);
      expect(await quota.used('int-q5', '2026-11')).toBe(7);
      // Settling again (the reservation is gone) charges nothing.
      await quota.settleAndRelease(replay.reservation, 0);
      expect(await quota.used('int-q5', '2026-11')).toBe(7);
      // A replay of the chunk after that finds no reservation: it is charged only what it writes again, in one write.
      commands.length = 0;
      expect(await quota.reserve('int-q5', '2026-11', 'p1', 1, 10, madeBefore(3))).toEqual({ ok: true, reservation: expect.objectContaining({ reserved: 1, usedAfter: 8, earlier: undefined }) });
      expect(commands).toEqual(['findAndModify']);
    } finally {
      await monitored.close();
    }
  });

  it('gives the 80% notice to one caller per month', async () => {
    const claims = await Promise.all([1, 2, 3].map(() => store.quota.claimNotice('int-q3', '2026-11', 'warning', new Date())));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.quota.claimNotice('int-q3', '2026-12', 'warning', new Date())).toBe(true);
  });

  it('keeps a raised limit per integration', async () => {
    expect(await store.quota.limitOf('int-q4')).toBe(100_000);
    await store.quota.setLimit('int-q4', 150_000, 'support', new Date());
    expect(await store.quota.limitOf('int-q4')).toBe(150_000);
  });
});

describe('leases', () => {
  it('lets one owner hold an integration until it expires or is released', async () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    const results = await Promise.all(['w1', 'w2', 'w3'].map((owner) => store.leases.acquire('int-l1', owner, 60_000, now)));
    const won = results.filter((lease) => lease !== null);
    expect(won).toHaveLength(1);
    const held = won[0]!;
    const other = held.owner === 'w1' ? 'w2' : 'w1';
    expect(await store.leases.acquire('int-l1', other, 60_000, at(30))).toBeNull();
    expect(await store.leases.renew(held, 60_000, at(40))).toBe(true);
    // Expired: another worker takes over, the old holder's lease is gone for good.
    const taken = await store.leases.acquire('int-l1', other, 60_000, at(101));
    expect(taken).not.toBeNull();
    expect(await store.leases.holds(held, at(102))).toBe(false);
    expect(await store.leases.renew(held, 60_000, at(102))).toBe(false);
    await store.leases.release(taken!);
    expect(await store.leases.acquire('int-l1', held.owner, 60_000, at(103))).not.toBeNull();
  });

  it('gives a contended expired lease to exactly one taker', async () => {
    const now = new Date('2026-11-27T11:00:00Z');
    await store.leases.acquire('int-l2', 'w0', 1_000, now);
    const later = new Date(now.getTime() + 5_000);
    const results = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((owner) => store.leases.acquire('int-l2', owner, 60_000, later)));
    expect(results.filter((lease) => lease !== null)).toHaveLength(1);
  });
});

describe('watermark', () => {
  it('moves only from the position the run read', async () => {
    await store.state.get('int-w1');
    const a = { ts: '2026-11-27T10:00:00.000Z', id: '003000000000001AAA' };
    const b = { ts: '2026-11-27T10:00:01.000Z', id: '003000000000002AAA' };
    expect(await store.state.advanceWatermark('int-w1', null, a)).toBe(true);
    expect(await store.state.advanceWatermark('int-w1', null, b)).toBe(false);
    expect(await store.state.advanceWatermark('int-w1', a, b)).toBe(true);
    const state = await store.state.get('int-w1');
    expect([state.watermarkTs, state.watermarkId]).toEqual([b.ts, b.id]);
  });
});

describe('links and webhook events', () => {
  it('keeps one link per (integration, Salesforce Id)', async () => {
    const link = { integrationId: 'int-k', salesforceId: '003A', brevoId: 1, values: { attributes: {} }, hash: 'h1', lastWrittenAt: new Date() };
    await store.links.upsertMany([link]);
    await store.links.upsertMany([{ ...link, hash: 'h2' }]);
    const found = await store.links.findBySalesforceIds('int-k', ['003A']);
    expect(found.get('003A')?.hash).toBe('h2');
    expect(await store.links.count('int-k')).toBe(1);
  });

  it('stores a redelivered webhook once', async () => {
    const event = {
      _id: 'evt-1', integrationId: 'int-e', kind: 'contact_updated' as const, brevoId: 5, email: 'a@b.test',
      content: { FIRSTNAME: 'A' }, modifiedAt: new Date(), receivedAt: new Date(), state: 'pending' as const,
    };
    expect(await store.events.add(event)).toBe(true);
    expect(await store.events.add(event)).toBe(false);
    expect(await store.events.countPending('int-e')).toBe(1);
  });

  it('handled webhook events leave the pending ones and are still recognised when Brevo redelivers them', async () => {
    const event = (id: string) => ({
      _id: id, integrationId: 'int-h', kind: 'contact_updated' as const, brevoId: null, email: `${id}@b.test`,
      content: { FIRSTNAME: id }, modifiedAt: new Date(), receivedAt: new Date(), state: 'pending' as const,
    });
    expect(await store.events.addMany([event('h-1'), event('h-2'), event('h-3')])).toBe(3);
    await store.events.mark('int-h', ['h-1'], 'applied', new Date());
    await store.events.mark('int-h', ['h-2'], 'ignored', new Date());
    expect((await store.events.pending('int-h', 10)).map((e) => e._id)).toEqual(['h-3']);
    expect(await store.events.handledStates(['h-1', 'h-2', 'h-3'])).toEqual(new Map([['h-1', 'applied'], ['h-2', 'ignored']]));
    // A redelivery of handled and pending events, with one new event: only the new one is stored.
    expect(await store.events.addMany([event('h-1'), event('h-2'), event('h-3'), event('h-4')])).toBe(1);
    expect((await store.events.pending('int-h', 10)).map((e) => e._id).sort()).toEqual(['h-3', 'h-4']);
    // Marked twice (a replay after a crash): the first outcome stays.
    await store.events.mark('int-h', ['h-1', 'h-3'], 'failed', new Date());
    expect(await store.events.handledStates(['h-1', 'h-3'])).toEqual(new Map([['h-1', 'applied'], ['h-3', 'failed']]));
    expect(await store.events.countPending('int-h')).toBe(1);
  });

  it('a batch of webhook events refused for another reason beside a redelivery throws, rather than dropping the event as a redelivery', async () => {
    const event = (id: string) => ({
      _id: id, integrationId: 'int-m', kind: 'contact_updated' as const, brevoId: null, email: `${id}@b.test`,
      content: { FIRSTNAME: id }, modifiedAt: new Date(), receivedAt: new Date(), state: 'pending' as const,
    });
    expect(await store.events.addMany([event('m-1')])).toBe(1);
    // An `_id` no server stores (an array), beside a redelivery of 'm-1'.
    const unstorable = { ...event('m-2'), _id: ['m-2'] as unknown as string };
    await expect(store.events.addMany([event('m-1'), unstorable])).rejects.toThrow();
    expect((await store.events.pending('int-m', 10)).map((e) => e._id)).toEqual(['m-1']);
  });

  it('takes a backlog larger than one run oldest change first, whatever the order it was stored in', async () => {
    const base = Date.UTC(2026, 11, 1, 12, 0, 0);
    const event = (id: string, second: number, receivedMs = 0) => ({
      _id: id, integrationId: 'int-o', kind: 'contact_updated' as const, brevoId: null, email: `${id}@b.test`,
      content: { JOB_TITLE: id }, modifiedAt: new Date(base + second * 1000), receivedAt: new Date(base + 60_000 + receivedMs), state: 'pending' as const,
    });
    // Delivered newest first (the older ones retried later by Brevo, say): the oldest changes are stored last.
    const deliveries = [event('o-5', 5), event('o-4', 4), event('o-2b', 2), event('o-2a', 2), event('o-1b', 1, 20), event('o-1a', 1, 10), event('o-0', 0)];
    for (const delivery of deliveries) expect(await store.events.add(delivery)).toBe(true);
    // By Brevo's time of the change, then by receipt, then by `_id`: a run's limit may fall between events of one second.
    expect((await store.events.pending('int-o', 2)).map((e) => e._id)).toEqual(['o-0', 'o-1a']);
    expect((await store.events.pending('int-o', 4)).map((e) => e._id)).toEqual(['o-0', 'o-1a', 'o-1b', 'o-2a']);
    expect((await store.events.pending('int-o', 10)).map((e) => e._id)).toEqual(['o-0', 'o-1a', 'o-1b', 'o-2a', 'o-2b', 'o-4', 'o-5']);
  });
});
