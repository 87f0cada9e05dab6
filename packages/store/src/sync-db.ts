import type { mongo } from 'mongoose';

/**
 * The sync's own collections use the driver directly (through the mongoose
 * connection's `db`): every write below is a single-document conditional
 * update or a unique-index insert, the subset that stays correct on the
 * local FerretDB (no transactions, no atomic findAndModify).
 */
export type Db = mongo.Db;

export function isDuplicateKeyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 11000) return true;
  const writeErrors = (error as { writeErrors?: { code?: unknown }[] } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000);
}
