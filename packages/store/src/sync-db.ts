import type { mongo } from 'mongoose';
import { isDuplicateKey } from './store-connection.ts';

/**
 * The sync's own collections use the driver directly (through the mongoose
 * connection's `db`), with single-document updates and indexed queries only:
 * nothing that needs a transaction.
 */
export type Db = mongo.Db;

/** `isDuplicateKey`, or a bulk write whose every failure is one. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (isDuplicateKey(error)) return true;
  const writeErrors = (error as { writeErrors?: { code?: unknown }[] } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000);
}
