import type { ChildProcess } from 'node:child_process';

export function ensureDevdbBinary(options?: { log?: (message: string) => void }): string;
export function findFreePort(): Promise<number>;
export function startDevdb(options?: {
  port?: number;
  dataDir?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  log?: (message: string) => void;
  /** Called when devdb ends without `stop()`, with why and its last output. */
  onExit?: (description: string) => void;
}): Promise<{ uri: string; port: number; process: ChildProcess; stop: () => Promise<void> }>;
