import { describe, expect, it } from 'vitest';
import { AccountListCache } from './account-list-cache.ts';

/** A read the test finishes by hand, and counts. */
function controlledReads() {
  const pending: { resolve(value: string): void; reject(error: Error): void }[] = [];
  return {
    pending,
    read: () => new Promise<string>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

function cacheAt(options: { freshMs?: number; maxStaleMs?: number; maxAccounts?: number } = {}) {
  const clock = { now: 0 };
  const errors: unknown[] = [];
  const cache = new AccountListCache<string>({
    freshMs: options.freshMs ?? 1_000,
    maxStaleMs: options.maxStaleMs ?? 2_000,
    maxAccounts: options.maxAccounts ?? 10,
    clock: () => clock.now,
    onRefreshError: (error) => errors.push(error),
  });
  return { cache, clock, errors };
}

describe('AccountListCache', () => {
  it('shares one read among concurrent requests of an account, and keeps the answer while fresh', async () => {
    const { cache, clock } = cacheAt();
    const reads = controlledReads();
    const answers = Array.from({ length: 5 }, () => cache.get('acc_a', reads.read));
    expect(reads.pending).toHaveLength(1);
    reads.pending[0]!.resolve('v1');
    expect(await Promise.all(answers)).toEqual(['v1', 'v1', 'v1', 'v1', 'v1']);
    clock.now = 999;
    expect(await cache.get('acc_a', reads.read)).toBe('v1');
    expect(reads.pending).toHaveLength(1);
  });

  it('keeps accounts apart', async () => {
    const { cache } = cacheAt();
    expect(await cache.get('acc_a', async () => 'a')).toBe('a');
    expect(await cache.get('acc_b', async () => 'b')).toBe('b');
    expect(await cache.get('acc_a', async () => 'other')).toBe('a');
  });

  it('serves the old answer while one read refreshes it, until maxStaleMs after the read it came from started', async () => {
    const { cache, clock } = cacheAt();
    const reads = controlledReads();
    const first = cache.get('acc_a', reads.read);
    clock.now = 100; // the read took 100 ms: the answer's age counts from its start
    reads.pending[0]!.resolve('v1');
    await first;

    clock.now = 1_500;
    expect(await cache.get('acc_a', reads.read)).toBe('v1');
    expect(await cache.get('acc_a', reads.read)).toBe('v1');
    expect(reads.pending).toHaveLength(2); // one refresh for both

    clock.now = 2_000; // the refresh is still running and v1 is 2 s old: wait for it
    const waiting = cache.get('acc_a', reads.read);
    expect(reads.pending).toHaveLength(2);
    reads.pending[1]!.resolve('v2');
    expect(await waiting).toBe('v2');
    expect(await cache.get('acc_a', reads.read)).toBe('v2');
  });

  it('never serves a read that started before invalidate to a request after it', async () => {
    const { cache } = cacheAt();
    const reads = controlledReads();
    expect(await cache.get('acc_a', async () => 'before')).toBe('before');
    cache.invalidate('acc_a');
    const beforeWrite = cache.get('acc_a', reads.read); // started before the write below
    cache.invalidate('acc_a'); // the write
    const afterWrite = cache.get('acc_a', reads.read);
    expect(reads.pending).toHaveLength(2);
    reads.pending[0]!.resolve('stale');
    reads.pending[1]!.resolve('written');
    expect(await beforeWrite).toBe('stale');
    expect(await afterWrite).toBe('written');
    expect(await cache.get('acc_a', reads.read)).toBe('written');
    expect(reads.pending).toHaveLength(2);
  });

  it('does not keep a read that finishes after invalidate', async () => {
    const { cache } = cacheAt();
    const reads = controlledReads();
    const early = cache.get('acc_a', reads.read);
    cache.invalidate('acc_a');
    reads.pending[0]!.resolve('stale');
    await early;
    expect(await cache.get('acc_a', async () => 'fresh')).toBe('fresh');
  });

  it('passes a failed read to its waiters, keeps nothing, and reads again next time', async () => {
    const { cache } = cacheAt();
    const reads = controlledReads();
    const answers = [cache.get('acc_a', reads.read), cache.get('acc_a', reads.read)];
    reads.pending[0]!.reject(new Error('database down'));
    for (const answer of answers) await expect(answer).rejects.toThrow('database down');
    expect(await cache.get('acc_a', async () => 'back')).toBe('back');
  });

  it('reports a failed refresh once and keeps serving the old answer until it is too old', async () => {
    const { cache, clock, errors } = cacheAt();
    const reads = controlledReads();
    expect(await cache.get('acc_a', async () => 'v1')).toBe('v1');
    clock.now = 1_200;
    expect(await cache.get('acc_a', reads.read)).toBe('v1');
    expect(await cache.get('acc_a', reads.read)).toBe('v1');
    reads.pending[0]!.reject(new Error('refresh failed'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(await cache.get('acc_a', reads.read)).toBe('v1'); // and tries again
    expect(reads.pending).toHaveLength(2);
    clock.now = 2_100;
    const tooOld = cache.get('acc_a', reads.read);
    reads.pending[1]!.reject(new Error('still failing'));
    await expect(tooOld).rejects.toThrow('still failing');
    expect(errors).toHaveLength(2);
  });

  it('keeps at most maxAccounts, dropping the least recently read', async () => {
    const { cache } = cacheAt({ maxAccounts: 2 });
    await cache.get('acc_a', async () => 'a');
    await cache.get('acc_b', async () => 'b');
    await cache.get('acc_a', async () => 'a2'); // a is now the most recent
    await cache.get('acc_c', async () => 'c');
    expect(cache.size).toBe(2);
    expect(await cache.get('acc_a', async () => 'a3')).toBe('a');
    expect(await cache.get('acc_b', async () => 'b2')).toBe('b2');
  });
});
