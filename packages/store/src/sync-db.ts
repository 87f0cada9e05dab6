import type { mongo } from 'mongoose';
import { isDuplicateKey } from './store-connection.ts';

/**
 * The sync's own collections use the driver directly (through the mongoose
 * connection's `db`): every write below is a single-document conditional
 * update or a unique-index insert, the subset that stays correct on the
 * local FerretDB (no transactions, no atomic findAndModify).
 */
export type Db = mongo.Db;

/** `isDuplicateKey`, or a bulk write whose every failure is one. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (isDuplicateKey(error)) return true;
  const writeErrors = (error as { writeErrors?: { code?: unknown }[] } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000);
}

/**
 * An upsert by `_id`. Two concurrent upserts of a missing document both try
 * the insert, and the one that loses gets a duplicate key error (the local
 * FerretDB; MongoDB retries that case itself). Tried once more, it finds the
 * winner's document and updates it.
 */
export async function upsertById<T extends { _id: string }>(collection: mongo.Collection<T>, id: string, update: mongo.UpdateFilter<T>): Promise<void> {
  const upsert = () => collection.updateOne({ _id: id } as mongo.Filter<T>, update, { upsert: true });
  try {
    await upsert();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await upsert();
  }
}
