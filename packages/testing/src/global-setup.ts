import { startDevdb } from '@contact-sync/devdb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup: tests use MONGODB_URI when it is set; otherwise one
 * local devdb is started for the whole run, in a throw-away data directory.
 * Each test file then takes a database of its own (see useTestDatabase).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.MONGODB_URI;
  if (external) {
    project.provide('mongoUri', external);
    return async () => {};
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'contact-sync-test-db-'));
  // A database that goes away mid-run fails every test file after it at its first connection, with nothing else to
  // say why: its exit and last output are printed when it happens.
  const devdb = await startDevdb({
    port: 0,
    dataDir,
    log: (message) => console.log(message),
    onExit: (description) => console.error(`\nThe tests' database stopped during the run: ${description}`),
  });
  project.provide('mongoUri', devdb.uri);
  return async () => {
    await devdb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
