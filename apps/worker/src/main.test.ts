import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@contact-sync/config';
import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';
import { raiseQuota } from './raise-quota.ts';
import { databaseGate, findOn } from './testing/database-gate.ts';
import { createSyncStore } from '@contact-sync/store';

const database = useTestDatabase('worker_main');
const workerDir = fileURLToPath(new URL('..', import.meta.url));

describe('worker process', () => {
  // As `npm start` and the Dockerfile start it: its source compiled by start.mjs, no resident loader.
  it('prints "worker ready on <host>" and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--max-old-space-size=192', '--max-semi-space-size=4', 'start.mjs'], {
      cwd: workerDir,
      env: { ...process.env, MONGODB_URI: database.uri, SYNC_INTERVAL_SECONDS: '15', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // The signal goes the moment the line arrives: the worker may not have run another statement since it printed it.
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(' ready on ')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ended = await Promise.race([exit, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000))]);
    expect(output).toMatch(/worker ready on 127\.0\.0\.1:\d+|worker ready on localhost:\d+/);
    expect(ended, output).toEqual({ code: 0, signal: null });
  }, 30_000);

  // A signal before the worker listened for one ended it by the signal (exit code null): the listeners were added
  // last, after "worker ready" was printed. Held here at its first message to the database, the worker is starting.
  it('stops cleanly on a SIGTERM that comes while it starts', async () => {
    const gate = await databaseGate(database.uri, () => true);
    try {
      const child = spawn(process.execPath, ['start.mjs'], {
        cwd: workerDir,
        env: { ...process.env, MONGODB_URI: gate.uri, SYNC_INTERVAL_SECONDS: '15', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      await Promise.race([gate.firstHeld, exit.then(() => expect.fail(`the worker ended before connecting: ${output}`))]);
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      gate.release();
      expect(await exit, output).toEqual({ code: 0, signal: null });
    } finally {
      gate.close();
    }
  }, 30_000);

  // Its first reconcile (at 2,000 integrations about 2 minutes of job making) and the waiting sync requests held its
  // "ready" and its health endpoint past a benchmark's 300 s readiness limit. Here the reconcile's listing of the
  // integrations gets no answer until the end: the worker is ready and healthy meanwhile, and stops cleanly after.
  it('is ready, and serves its health, while its first reconcile waits for the database', async () => {
    const gate = await databaseGate(database.uri, findOn('integrations'));
    let spawned: ChildProcess | undefined;
    try {
      const child = spawn(process.execPath, ['start.mjs'], {
        cwd: workerDir,
        env: { ...process.env, MONGODB_URI: gate.uri, SYNC_INTERVAL_SECONDS: '15', WORKER_METRICS_PORT: '0', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      spawned = child;
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      const deadline = Date.now() + 20_000;
      while (!output.includes(' ready on ') && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(output, 'no "worker ready" within 20 s while the listing of the integrations is held').toContain(' ready on ');
      await gate.firstHeld;
      const url = /metrics and health on (http:\/\/\S+)\)/.exec(output)?.[1];
      const health = await fetch(`${url}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      gate.release();
      child.kill('SIGTERM');
      expect(await exit, output).toEqual({ code: 0, signal: null });
    } finally {
      if (spawned?.exitCode === null) spawned.kill('SIGKILL');
      gate.close();
    }
  }, 60_000);

  it('refuses a sync interval under 15 seconds with a clear error', () => {
    expect(() => loadWorkerConfig({ MONGODB_URI: 'mongodb://localhost/x', SYNC_INTERVAL_SECONDS: '10' })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({})).toThrow(/MONGODB_URI/);
    expect(loadWorkerConfig({ MONGODB_URI: 'mongodb://localhost/x' }).SYNC_INTERVAL_SECONDS).toBe(60);
  });

  it('raise-quota sets one integration\'s monthly quota', async () => {
    const message = await raiseQuota(['int-raise', '150000', '--by', 'alice'], { MONGODB_URI: database.uri });
    expect(message).toContain('150000');
    expect(await createSyncStore(database.connection.db!).quota.limitOf('int-raise')).toBe(150_000);
    await expect(raiseQuota(['int-raise', 'lots'], { MONGODB_URI: database.uri })).rejects.toThrow(/usage/);
  });
});
