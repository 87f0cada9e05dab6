// Starts the project's processes, prefixes their output, waits for each to
// say it is ready, and stops them all together (Ctrl-C, or one of them dying).
import { spawn } from 'node:child_process';

const COLORS = [36, 35, 33, 32, 34, 31, 96, 95];

export class ProcessGroup {
  #children = [];
  #stopping = false;
  #onUnexpectedExit;

  #output;

  /**
   * @param {{ onUnexpectedExit?: (name: string, code: number | null, signal: string | null) => void, output?: (name: string, line: string) => void }} options
   *   `output` receives every line (default: the terminal, prefixed and coloured).
   */
  constructor({ onUnexpectedExit, output } = {}) {
    this.#onUnexpectedExit = onUnexpectedExit;
    this.#output = output;
  }

  /**
   * Spawns a process and resolves when a line of its output matches `ready`.
   * @param {{ name: string, command: string, args?: string[], cwd?: string, env?: object, ready: RegExp, timeoutMs?: number, quiet?: boolean }} spec
   */
  start({ name, command, args = [], cwd, env, ready, timeoutMs = 60_000, quiet = false }) {
    const color = COLORS[this.#children.length % COLORS.length];
    const prefix = `\x1b[${color}m${name.padEnd(18)}\x1b[0m│ `;
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry = { name, child };
    this.#children.push(entry);

    return new Promise((resolve, reject) => {
      let isReady = false;
      let recent = '';
      const timer = setTimeout(() => {
        if (!isReady) reject(new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${recent}`));
      }, timeoutMs);

      const onLine = (line) => {
        recent = (recent + line + '\n').slice(-4000);
        if (this.#output) this.#output(name, line);
        else if (!quiet || !isReady) process.stdout.write(prefix + line + '\n');
        if (!isReady && ready.test(line)) {
          isReady = true;
          clearTimeout(timer);
          resolve(entry);
        }
      };
      forEachLine(child.stdout, onLine);
      forEachLine(child.stderr, onLine);

      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!isReady) reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${recent}`));
        else if (!this.#stopping) this.#onUnexpectedExit?.(name, code, signal);
      });
    });
  }

  /** SIGTERM to every child, SIGKILL to those still running after a grace period. */
  async stopAll(graceMs = 8_000) {
    this.#stopping = true;
    await Promise.all(
      this.#children.reverse().map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

function forEachLine(stream, onLine) {
  let buffered = '';
  stream.on('data', (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
  });
}
