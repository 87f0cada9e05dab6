import type { SalesforceField, SalesforceObjectName } from '@contact-sync/rules';
import { describe, expect, it } from 'vitest';
import { DescribeCache } from './describe-fields.ts';

const email: SalesforceField = { name: 'Email', label: 'Email', type: 'email', length: 80, calculated: false, createable: true, updateable: true, nillable: true, filterable: true };

/** A describe that counts its calls and answers what `answer` says at the time. */
function countingFetch(answer: () => SalesforceField[] | Error = () => [{ ...email }]) {
  const calls: SalesforceObjectName[] = [];
  const fetch = async (object: SalesforceObjectName) => {
    calls.push(object);
    const fields = answer();
    if (fields instanceof Error) throw fields;
    return fields;
  };
  return { calls, fetch };
}

describe('DescribeCache', () => {
  it('keeps a user’s object for the TTL, then describes again; a run keeps what it got for all its passes', async () => {
    let now = 0;
    const cache = new DescribeCache({ ttlMs: 600_000, now: () => now });
    const { calls, fetch } = countingFetch();
    const run = () => cache.loaderFor('00D000000000001/005000000000001', fetch);
    await run()('Contact');
    now = 599_999;
    const late = run();
    await late('Contact');
    expect(calls).toEqual(['Contact']);
    await run()('Lead');
    expect(calls).toEqual(['Contact', 'Lead']);
    now = 600_000;
    await late('Contact'); // the same run: what it got at its start
    expect(calls).toEqual(['Contact', 'Lead']);
    await run()('Contact');
    expect(calls).toEqual(['Contact', 'Lead', 'Contact']);
    // Kept from the describe's own time: the run above renewed it.
    now = 1_199_999;
    await run()('Contact');
    expect(calls).toHaveLength(3);
  });

  it('gives a run a kept describe only if it is younger than the run’s describedSince', async () => {
    let now = 1_000;
    const cache = new DescribeCache({ ttlMs: 600_000, now: () => now });
    const { calls, fetch } = countingFetch();
    await cache.loaderFor('user', fetch, new Date(0))('Contact');
    now = 2_000;
    await cache.loaderFor('user', fetch, new Date(1_000))('Contact');
    expect(calls).toHaveLength(1);
    await cache.loaderFor('user', fetch, new Date(1_001))('Contact');
    expect(calls).toHaveLength(2);
    await cache.loaderFor('user', fetch, new Date(1_001))('Contact');
    expect(calls).toHaveLength(2);
  });

  it('keeps nothing of a failed describe, and a run never waits on another run’s describe (one’s failure is not the other’s)', async () => {
    const cache = new DescribeCache({ ttlMs: 600_000 });
    let release!: () => void;
    const pending = countingFetch();
    const slow = async (object: SalesforceObjectName) => {
      await new Promise<void>((resolve) => (release = resolve));
      throw new Error(`revoked while describing ${object}`);
    };
    const first = cache.loaderFor('user', slow)('Contact');
    const second = cache.loaderFor('user', pending.fetch)('Contact');
    await expect(second).resolves.toHaveLength(1);
    release();
    await expect(first).rejects.toThrow('revoked');
    expect(pending.calls).toHaveLength(1);
    // The second run's describe is the one kept.
    await cache.loaderFor('user', pending.fetch)('Contact');
    expect(pending.calls).toHaveLength(1);

    const failing = countingFetch(() => new Error('503'));
    const fresh = new DescribeCache({ ttlMs: 600_000 });
    await expect(fresh.loaderFor('user', failing.fetch)('Contact')).rejects.toThrow('503');
    await expect(fresh.loaderFor('user', failing.fetch)('Contact')).rejects.toThrow('503');
    expect(failing.calls).toHaveLength(2);
    expect(fresh.users).toBe(0);
  });

  it('forgets a user at once', async () => {
    const cache = new DescribeCache({ ttlMs: 600_000 });
    const { calls, fetch } = countingFetch();
    await cache.loaderFor('user', fetch)('Contact');
    cache.forget('user');
    await cache.loaderFor('user', fetch)('Contact');
    expect(calls).toHaveLength(2);
  });

  it('keeps one object for fields equal in every respect across users, and apart the ones that differ', async () => {
    const cache = new DescribeCache({ ttlMs: 600_000 });
    const [a] = await cache.loaderFor('org-a/user', countingFetch().fetch)('Contact');
    const [b] = await cache.loaderFor('org-b/user', countingFetch().fetch)('Contact');
    const [c] = await cache.loaderFor('org-c/user', countingFetch(() => [{ ...email, length: 120 }]).fetch)('Contact');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c).toMatchObject({ name: 'Email', length: 120 });
  });

  it('keeps at most maxUsers users, the least recently used going first, and lets go of users whose describes all expired', async () => {
    let now = 0;
    const cache = new DescribeCache({ ttlMs: 600_000, maxUsers: 2, now: () => now });
    const { calls, fetch } = countingFetch();
    await cache.loaderFor('user-a', fetch)('Contact');
    await cache.loaderFor('user-b', fetch)('Contact');
    await cache.loaderFor('user-a', fetch)('Contact'); // kept: user-a is now the most recently used
    await cache.loaderFor('user-c', fetch)('Contact'); // user-b goes
    expect(cache.users).toBe(2);
    expect(calls).toHaveLength(3);
    await cache.loaderFor('user-a', fetch)('Contact');
    expect(calls).toHaveLength(3);
    await cache.loaderFor('user-b', fetch)('Contact');
    expect(calls).toHaveLength(4);

    now = 600_000; // every describe expired: the next user kept is the only one left
    await cache.loaderFor('user-d', fetch)('Contact');
    expect(cache.users).toBe(1);
  });

  it('keeps within maxBytes: a user whose fields are like another’s costs a pointer a field, one unlike the others its fields’ JSON, and the least recently used go first', async () => {
    const fieldBytes = JSON.stringify(email).length;
    const maxBytes = fieldBytes + 8 + 10 * 8 + 50;
    const cache = new DescribeCache({ ttlMs: 600_000, maxBytes });
    await cache.loaderFor('org-a/user', countingFetch().fetch)('Contact');
    expect(cache.bytes).toBe(fieldBytes + 8);
    for (let n = 0; n < 10; n++) await cache.loaderFor(`org-like-a-${n}/user`, countingFetch().fetch)('Contact');
    expect([cache.users, cache.bytes]).toEqual([11, fieldBytes + 8 + 10 * 8]);
    // Unlike the others: its field's JSON counts, and the least recently used go until the bytes fit again.
    const french = { ...email, label: 'Courriel' };
    const unlike = countingFetch(() => [{ ...french }]);
    await cache.loaderFor('org-b/user', unlike.fetch)('Contact');
    // org-a, the least recently used, goes (the others still hold its field: they cost their pointers only).
    expect([cache.users, cache.bytes]).toEqual([11, 10 * 8 + JSON.stringify(french).length + 8]);
    expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
    const kept = countingFetch();
    await cache.loaderFor('org-b/user', kept.fetch)('Contact');
    expect(kept.calls).toHaveLength(0);
    cache.forget('org-b/user');
    expect(cache.bytes).toBe(10 * 8);
  });

  it('keeps nothing with a TTL of 0', async () => {
    const off = new DescribeCache({ ttlMs: 0 });
    const { calls, fetch } = countingFetch();
    await off.loaderFor('user', fetch)('Contact');
    await off.loaderFor('user', fetch)('Contact');
    expect(calls).toHaveLength(2);
    expect(off.users).toBe(0);
  });
});
