import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { createSyncStore } from './sync-store.ts';

const database = useTestDatabase('store_stream_leases');
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, seconds));

describe('stream leases', () => {
  it('one holder at a time; renewed while held; taken over once expired; the old holder can then neither renew nor release it', async () => {
    const { streamLeases } = createSyncStore(database.connection.db!);
    const first = await streamLeases.take('org-a:Contact', 'worker-1', 10_000, at(0));
    expect(first).toMatchObject({ key: 'org-a:Contact', holder: 'worker-1' });
    expect(await streamLeases.take('org-a:Contact', 'worker-2', 10_000, at(1))).toBeNull();
    expect(await streamLeases.renew(first!, 10_000, at(8))).toBe(true);
    // Renewed at 8 s: still held at 15 s, expired at 19 s.
    expect(await streamLeases.take('org-a:Contact', 'worker-2', 10_000, at(15))).toBeNull();
    const second = await streamLeases.take('org-a:Contact', 'worker-2', 10_000, at(19));
    expect(second).toMatchObject({ holder: 'worker-2' });
    expect(second!.generation).toBeGreaterThan(first!.generation);
    expect(await streamLeases.renew(first!, 10_000, at(20))).toBe(false);
    await streamLeases.release(first!);
    expect(await streamLeases.holder('org-a:Contact', at(21))).toBe('worker-2');
    // A release hands the stream over at once.
    await streamLeases.release(second!);
    expect(await streamLeases.holder('org-a:Contact', at(22))).toBeNull();
    expect(await streamLeases.take('org-a:Contact', 'worker-3', 10_000, at(22))).toMatchObject({ holder: 'worker-3' });
    // Other streams are apart.
    expect(await streamLeases.take('org-a:Lead', 'worker-1', 10_000, at(22))).toMatchObject({ holder: 'worker-1' });
  });

  it('tells which streams have a lease, and which leases lapsed (released or expired): those a worker may take', async () => {
    const { streamLeases } = createSyncStore(database.connection.db!);
    const held = (await streamLeases.take('org-l1:Contact', 'worker-1', 10_000, at(0)))!;
    const released = (await streamLeases.take('org-l2:Contact', 'worker-1', 10_000, at(0)))!;
    await streamLeases.release(released);
    await streamLeases.take('org-l3:Contact', 'worker-1', 5_000, at(0));
    const keys = ['org-l1:Contact', 'org-l2:Contact', 'org-l3:Contact', 'org-l4:Contact'];
    expect(await streamLeases.existing(keys)).toEqual(new Set(['org-l1:Contact', 'org-l2:Contact', 'org-l3:Contact']));
    expect(await streamLeases.lapsed(keys, at(1))).toEqual(new Set(['org-l2:Contact']));
    // At 5 s the 5-second lease has expired; at 10 s the 10-second one too.
    expect(await streamLeases.lapsed(keys, at(5))).toEqual(new Set(['org-l2:Contact', 'org-l3:Contact']));
    expect(await streamLeases.renew(held, 10_000, at(9))).toBe(true);
    expect(await streamLeases.lapsed(keys, at(10))).toEqual(new Set(['org-l2:Contact', 'org-l3:Contact']));
    expect(await streamLeases.existing([])).toEqual(new Set());
    expect(await streamLeases.lapsed([], at(10))).toEqual(new Set());
  });

  it('concurrent takers of a free stream: exactly one wins', async () => {
    const { streamLeases } = createSyncStore(database.connection.db!);
    for (let round = 0; round < 3; round += 1) {
      const key = `org-race-${round}:Contact`;
      if (round > 0) {
        // An expired lease, not only a missing one.
        const old = await streamLeases.take(key, 'gone', 1, at(0));
        expect(old).not.toBeNull();
      }
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => streamLeases.take(key, `worker-${i}`, 10_000, at(10))));
      expect(results.filter((lease) => lease !== null)).toHaveLength(1);
    }
  });
});
