import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.ts';

/** A source that records when each item is fetched and when it ends; item `failAt` throws. */
function source(count: number, options: { failAt?: number } = {}) {
  const log: string[] = [];
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < count; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (i === options.failAt) throw new Error(`page ${i} lost`);
        log.push(`fetched ${i}`);
        yield i;
      }
    } finally {
      log.push('source closed');
    }
  }
  return { items: items(), log };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Waits (up to 5 s: a busy machine) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done() && Date.now() < deadline) await tick();
}

describe('readAhead', () => {
  it('yields every item in order', async () => {
    const { items } = source(7);
    const seen: number[] = [];
    for await (const item of readAhead(items, 3)) seen.push(item);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('fetches the next items while the consumer is still working on one, never more than `depth` ahead', async () => {
    const { items, log } = source(10);
    for await (const item of readAhead(items, 2)) {
      if (item === 0) {
        await until(() => log.length >= 3);
        await tick();
        expect(log).toEqual(['fetched 0', 'fetched 1', 'fetched 2']);
      }
      if (item === 5) {
        await until(() => log.includes('fetched 7'));
        await tick();
        expect(log.at(-1)).toBe('fetched 7');
      }
    }
    expect(log.at(-1)).toBe('source closed');
  });

  it('throws a fetch error when the consumer reaches that item, after the items before it', async () => {
    const { items, log } = source(10, { failAt: 3 });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(items, 4)) {
          seen.push(item);
          await tick();
        }
      })(),
    ).rejects.toThrow('page 3 lost');
    expect(seen).toEqual([0, 1, 2]);
    expect(log.at(-1)).toBe('source closed');
  });

  it('closes the source when the consumer leaves early, dropping what was fetched ahead', async () => {
    const { items, log } = source(100);
    for await (const item of readAhead(items, 5)) {
      if (item === 2) break;
    }
    expect(log.at(-1)).toBe('source closed');
    expect(log.filter((line) => line.startsWith('fetched')).length).toBeLessThanOrEqual(2 + 1 + 5);
  });

  it('refuses a depth that is not a positive integer', async () => {
    for (const depth of [0, -1, 1.5, Number.NaN]) {
      await expect(readAhead(source(1).items, depth).next()).rejects.toThrow(RangeError);
    }
  });
});
