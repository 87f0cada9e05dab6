import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

export interface AppRun {
  /** Exit code, or null when the process was still running (it started) and was stopped. */
  code: number | null;
  started: boolean;
  output: string;
}

/**
 * Starts an app the way `npm start` does (`node --import tsx <entry>` in its
 * directory) with exactly `env` (plus PATH and HOME: nothing inherited from
 * the test run), and reports how it ended: exited with its output, or
 * started (printed "ready on") and was stopped.
 */
export function startApp(appDir: string, env: Record<string, string>, options: { entry?: string; timeoutMs?: number } = {}): Promise<AppRun> {
  const { entry = 'src/main.ts', timeoutMs = 30_000 } = options;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(appDir, entry)], {
      cwd: appDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let started = false;
    const stop = () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(stop, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!started && / ready on /.test(output)) {
        started = true;
        stop();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: started ? null : code, started, output });
    });
  });
}

export interface ConfigCase {
  /** The variable the start-up error must name. */
  variable: string;
  /** Its value, or undefined for "missing". */
  value: string | undefined;
  /** Other variables of this case (e.g. NODE_ENV=production). */
  with?: Record<string, string>;
  /** A value that must not appear in the output (defaults to `value`). */
  secret?: string;
}

/**
 * Table-driven start-up checks for one app: for each case the process, started
 * for real with `base` plus the case's variables, exits non-zero with a
 * message naming the variable and without echoing the value.
 */
export function itRefusesBadConfiguration(appDir: string, base: Record<string, string>, cases: readonly ConfigCase[], options: { entry?: string } = {}) {
  it.concurrent.each(cases.map((c) => [`${c.variable} ${c.value === undefined ? 'missing' : `= ${JSON.stringify(c.value.slice(0, 40))}`}`, c] as const))(
    '%s → start-up error naming it, value not echoed',
    async (_name, c) => {
      const env = { ...base, ...c.with };
      if (c.value === undefined) delete env[c.variable];
      else env[c.variable] = c.value;
      const run = await startApp(appDir, env, options);
      expect(run.started, `started despite ${c.variable}:\n${run.output}`).toBe(false);
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('invalid configuration');
      expect(run.output).toMatch(new RegExp(`^\\s+- ${c.variable}: `, 'm'));
      const secret = c.secret ?? c.value;
      if (secret) expect(run.output).not.toContain(secret);
    },
    // A process start (tsx compiling the app) takes seconds, more on a busy machine; startApp stops it at 30 s.
    60_000,
  );
}
