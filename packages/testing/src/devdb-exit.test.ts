import { startDevdb } from '@contact-sync/devdb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './until.ts';

// The global setup's devdb once went away mid-run: 27 test files then failed on ECONNREFUSED with nothing saying why.
describe('a devdb that ends without stop()', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const start = (onExit: (description: string) => void) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'contact-sync-devdb-exit-'));
    dirs.push(dataDir);
    return startDevdb({ port: 0, dataDir, log: () => {}, onExit });
  };

  it('is reported with how it ended and its last output', async () => {
    const reports: string[] = [];
    const devdb = await start((description) => reports.push(description));
    devdb.process.kill('SIGKILL');
    await until('the exit reported', () => reports.length > 0, 10_000);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(`devdb on port ${devdb.port} exited (signal SIGKILL)`);
    expect(reports[0]).toContain('devdb ready on');
  });

  it('is not reported when stopped', async () => {
    const reports: string[] = [];
    const devdb = await start((description) => reports.push(description));
    await devdb.stop();
    expect(devdb.process.exitCode).toBe(0);
    expect(reports).toEqual([]);
  });
});
