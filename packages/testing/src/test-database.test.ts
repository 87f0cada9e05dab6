import { Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './test-database.ts';

const db = useTestDatabase();

describe('the local database', () => {
  it('is reached by mongoose in a database of this file only', async () => {
    expect(db.connection.readyState).toBe(1);
    expect(db.connection.name).toBe(db.name);
  });

  it('enforces a unique index: a duplicate key is rejected', async () => {
    const Thing = db.connection.model('Thing', new Schema({ key: { type: String, required: true, unique: true } }));
    await Thing.init();
    const indexes = await Thing.collection.indexes();
    expect(indexes.some((index) => index.unique && index.key.key === 1)).toBe(true);

    await Thing.create({ key: 'a' });
    await expect(Thing.create({ key: 'a' })).rejects.toMatchObject({ code: 11000 });
    expect(await Thing.countDocuments()).toBe(1);
  });
});
