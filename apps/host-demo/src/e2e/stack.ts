import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where each service of the stack under test answers. */
export interface StackUrls {
  host: string;
  web: string;
  bff: string;
  salesforce: string;
  brevo: string;
}

type Ports = Record<'devdb' | 'salesforce' | 'brevo' | 'bff' | 'web' | 'host', number>;
interface ProcessGroup {
  stopAll(graceMs?: number): Promise<void>;
}
interface Launcher {
  startStack(group: ProcessGroup, options: { ports: Ports; mongoUri: string; env: Record<string, string> }): Promise<{ env: Record<string, string> }>;
  ProcessGroup: new (options: { onUnexpectedExit?: (name: string) => void; output?: (name: string, line: string) => void }) => ProcessGroup;
  findFreePort(): Promise<number>;
}

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The repo's own launcher (plain JS modules, loaded at run time): the processes and wiring of `npm start`. */
async function loadLauncher(): Promise<Launcher> {
  const load = (path: string) => import(join(repoRoot, path)) as Promise<Record<string, unknown>>;
  const [stack, group, devdb] = await Promise.all([load('scripts/lib/stack.mjs'), load('scripts/lib/process-group.mjs'), load('tools/devdb/launch.mjs')]);
  return { ...stack, ...group, ...devdb } as unknown as Launcher;
}

export interface RunningStack {
  urls: StackUrls;
  stop(): Promise<void>;
}

/**
 * The whole product as `npm start` runs it, on free ports, against a database
 * of the test run's server. Each process's output: artifacts/e2e-logs/host-demo/.
 */
export async function startE2eStack(mongoUri: string): Promise<RunningStack> {
  const { startStack, ProcessGroup, findFreePort } = await loadLauncher();
  const logDir = join(repoRoot, 'artifacts', 'e2e-logs', 'host-demo');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const crashed: string[] = [];
  const group = new ProcessGroup({
    output: (name, line) => appendFileSync(join(logDir, `${name}.log`), `${line}\n`),
    onUnexpectedExit: (name) => void crashed.push(name),
  });
  const ports = {} as Ports;
  for (const name of ['devdb', 'salesforce', 'brevo', 'bff', 'web', 'host'] as const) ports[name] = await findFreePort();
  try {
    const { env } = await startStack(group, {
      ports,
      mongoUri,
      // A vite dependency cache of its own: a developer's dev server may be running too.
      env: { LOG_LEVEL: 'warn', NODE_ENV: 'test', WEB_CACHE_DIR: join(tmpdir(), 'contact-sync-e2e-vite') },
    });
    return {
      urls: {
        host: `http://localhost:${ports.host}`,
        web: env.WEB_PUBLIC_URL ?? `http://localhost:${ports.web}`,
        bff: env.BFF_PUBLIC_URL ?? `http://localhost:${ports.bff}`,
        salesforce: env.SALESFORCE_SANDBOX_PUBLIC_URL ?? `http://localhost:${ports.salesforce}`,
        brevo: env.BREVO_SANDBOX_PUBLIC_URL ?? `http://localhost:${ports.brevo}`,
      },
      async stop() {
        await group.stopAll(5_000);
        if (crashed.length > 0) throw new Error(`stopped unexpectedly during the run: ${crashed.join(', ')} (see ${logDir})`);
      },
    };
  } catch (error) {
    await group.stopAll(2_000);
    throw error;
  }
}
