import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { isDuplicateKeyError, refusedPositions } from './duplicate-key.ts';

/** The one test of a unique-index refusal every store uses (leases, quota, rate budgets, links, names, R3 slots). */
const database = useTestDatabase('store_duplicate_key');

async function refusal(write: () => Promise<unknown>): Promise<unknown> {
  try {
    await write();
  } catch (error) {
    return error;
  }
  throw new Error('the write was not refused');
}

describe('isDuplicateKeyError', () => {
  it('a single write refused by a unique index, and an unordered bulk insert whose every refusal is a duplicate', async () => {
    const things = database.connection.db!.collection<{ _id: string }>('duplicate_key_things');
    await things.insertOne({ _id: 'a' });
    expect(isDuplicateKeyError(await refusal(() => things.insertOne({ _id: 'a' })))).toBe(true);
    expect(isDuplicateKeyError(await refusal(() => things.findOneAndUpdate({ _id: 'a', n: 1 }, { $set: { n: 2 } }, { upsert: true })))).toBe(true);
    const bulk = await refusal(() => things.insertMany([{ _id: 'b' }, { _id: 'a' }, { _id: 'c' }, { _id: 'a' }], { ordered: false }));
    expect(isDuplicateKeyError(bulk)).toBe(true);
    expect(refusedPositions(bulk)).toEqual(new Set([1, 3]));
  });

  it('a bulk write refused for another reason as well is not a duplicate (its error carries the first refusal’s code only)', async () => {
    const things = database.connection.db!.collection<{ _id: unknown }>('duplicate_key_mixed');
    await things.insertOne({ _id: 'a' });
    const mixed = await refusal(() => things.insertMany([{ _id: 'a' }, { _id: ['an', 'array'] }], { ordered: false }));
    // Refused twice: the duplicate `_id`, and an `_id` that cannot be an array.
    const codes = (mixed as { code?: unknown; writeErrors: { code: unknown }[] }).writeErrors.map((writeError) => writeError.code);
    expect(codes[0]).toBe(11000);
    expect(codes[1]).not.toBe(11000);
    expect((mixed as { code?: unknown }).code).toBe(11000);
    expect(isDuplicateKeyError(mixed)).toBe(false);
  });

  it('anything else is not one', () => {
    expect(isDuplicateKeyError(new Error('connection reset'))).toBe(false);
    expect(isDuplicateKeyError({ code: 2, writeErrors: [] })).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
    expect(isDuplicateKeyError(undefined)).toBe(false);
    expect(isDuplicateKeyError({ code: 11001 })).toBe(true);
  });
});
