// The sandbox's own tests import their helpers from here; they are the package's entry (start.ts) and the
// per-file setup below, which only tests may import (it registers vitest hooks).
import type { Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { login, startSandbox, type StartedSandbox } from './start.ts';

export * from './start.ts';

export interface SandboxUnderTest {
  readonly url: string;
  readonly org: StartedSandbox['org'];
  /** jsforce logged in as the demo user through the OAuth web-server flow. */
  readonly conn: Connection;
}

/**
 * One sandbox for a test file: started before its tests and closed after them. `conn` logs in once; with
 * `resetEach` (tests that write), the seed is restored and `conn` logs in again before each test.
 */
export function useSandbox(options: { resetEach?: boolean } = {}): SandboxUnderTest {
  let sandbox: StartedSandbox | undefined;
  let conn: Connection | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox();
    if (!options.resetEach) conn = await login(sandbox.url);
  });
  if (options.resetEach) {
    beforeEach(async () => {
      await fetch(`${started().url}/__sandbox/reset`, { method: 'POST' });
      conn = await login(started().url);
    });
  }
  afterAll(async () => {
    await sandbox?.server.close();
  });
  function started(): StartedSandbox {
    if (!sandbox) throw new Error('the sandbox starts in beforeAll: use it inside a hook or a test');
    return sandbox;
  }
  return {
    get url() {
      return started().url;
    },
    get org() {
      return started().org;
    },
    get conn() {
      if (!conn) throw new Error('not logged in yet: use conn inside a hook or a test');
      return conn;
    },
  };
}
