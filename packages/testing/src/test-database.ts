import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';

// The server URI the global setup provides (global-setup.ts). Declared here,
// beside its only reader, so every package importing this helper sees it.
declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

export interface TestDatabase {
  /** The URI of this file's own database (for code that opens its own connection). */
  readonly uri: string;
  readonly name: string;
  /** A mongoose connection to that database, open between beforeAll and afterAll. */
  readonly connection: Connection;
}

/** The server URI provided by the global setup, with `dbName` as its database. */
export function testDatabaseUri(dbName: string): string {
  const url = new URL(inject('mongoUri'));
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * Gives the calling test file a database of its own, created on first use and
 * dropped after the file's last test, so files can run in parallel.
 */
export function useTestDatabase(prefix = 'test'): TestDatabase {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const uri = testDatabaseUri(name);
  let connection: Connection | undefined;

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  });

  afterAll(async () => {
    if (!connection) return;
    await connection.dropDatabase();
    await connection.close();
  });

  return {
    uri,
    name,
    get connection() {
      if (!connection) throw new Error('useTestDatabase: the connection opens in beforeAll; use it inside tests or hooks');
      return connection;
    },
  };
}
