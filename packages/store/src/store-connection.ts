import mongoose, { type Connection } from 'mongoose';

/**
 * Opens a mongoose connection of its own (not the global default), so an app
 * and each test file hold separate connections; models are registered per
 * connection by the `*Model(connection)` functions.
 */
export async function connectStore(uri: string, options: mongoose.ConnectOptions = {}): Promise<Connection> {
  return mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, ...options }).asPromise();
}

/**
 * A unique-index violation. MongoDB answers 11000; FerretDB's SQLite backend
 * answers an insert with 11000 but an update with code 1 (InternalError) and
 * SQLite's "UNIQUE constraint failed" message.
 */
export function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 11000 || code === 11001) return true;
  const message = error instanceof Error ? error.message : '';
  return code === 1 && /UNIQUE constraint failed/.test(message);
}
