import { spawn } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@contact-sync/config';
import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';
import { raiseQuota } from './raise-quota.ts';
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
  // last, after "worker ready" was printed. Held here at its first connection to the database, the worker is starting.
  it('stops cleanly on a SIGTERM that comes while it starts', async () => {
    const database_ = new URL(database.uri);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let connected!: () => void;
    const firstConnection = new Promise<void>((resolve) => (connected = resolve));
    const sockets = new Set<Socket>();
    // Between the worker and the database: connections are passed on only once released.
    const gate = createServer((client) => {
      sockets.add(client);
      client.pause();
      connected();
      void released.then(() => {
        const upstream = connect(Number(database_.port), database_.hostname);
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const gated = new URL(database.uri);
    gated.host = `127.0.0.1:${(gate.address() as AddressInfo).port}`;
    try {
      const child = spawn(process.execPath, ['start.mjs'], {
        cwd: workerDir,
        env: { ...process.env, MONGODB_URI: gated.toString(), SYNC_INTERVAL_SECONDS: '15', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      await Promise.race([firstConnection, exit.then(() => expect.fail(`the worker ended before connecting: ${output}`))]);
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      release();
      expect(await exit, output).toEqual({ code: 0, signal: null });
    } finally {
      for (const socket of sockets) socket.destroy();
      gate.close();
    }
  }, 30_000);

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
