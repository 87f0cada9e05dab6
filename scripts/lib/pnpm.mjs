// Runs pnpm: the one on PATH when it is version 12, otherwise a pinned copy
// through npx, so a fresh machine needs nothing installed beforehand.
import { spawnSync } from 'node:child_process';

const PINNED = 'pnpm@12.4.2';
let command;

export function pnpmCommand() {
  if (command) return command;
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  command = !onPath.error && onPath.status === 0 && onPath.stdout.startsWith('12.') ? ['pnpm'] : ['npx', '-y', PINNED];
  return command;
}

export function runPnpm(args, options = {}) {
  const [bin, ...prefix] = pnpmCommand();
  return spawnSync(bin, [...prefix, ...args], { stdio: 'inherit', ...options });
}
