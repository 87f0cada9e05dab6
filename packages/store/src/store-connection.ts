import mongoose, { type Connection } from 'mongoose';

/**
 * Opens a mongoose connection of its own (not the global default), so an app
 * and each test file hold separate connections; models are registered per
 * connection by the `*Model(connection)` functions.
 */
export async function connectStore(uri: string, options: mongoose.ConnectOptions = {}): Promise<Connection> {
  return mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, ...options }).asPromise();
}
