import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The whole product as `npm start` runs it (scripts/lib/stack.mjs: same
 * processes, same ready lines), on ports of its own so a developer's running
 * stack is not disturbed, against a database of the test run's server.
 */
export const E2E_PORTS = { bff: 4100, salesforce: 4110, brevo: 4120, hostDemo: 5270, web: 5280 } as const;

export const E2E_URLS = {
  bff: `http://localhost:${E2E_PORTS.bff}`,
  salesforce: `http://localhost:${E2E_PORTS.salesforce}`,
  brevo: `http://localhost:${E2E_PORTS.brevo}`,
  hostDemo: `http://localhost:${E2E_PORTS.hostDemo}`,
  web: `http://localhost:${E2E_PORTS.web}`,
} as const;

interface ProcessGroup {
  stopAll(graceMs?: number): Promise<void>;
}
interface StackModule {
  startStack(group: ProcessGroup, options: { env: Record<string, string> }): Promise<string[]>;
}
interface ProcessGroupModule {
  ProcessGroup: new (options: { onUnexpectedExit?: (name: string) => void }) => ProcessGroup;
}

const scripts = new URL('../../../../scripts/lib/', import.meta.url);

export interface RunningStack {
  started: string[];
  stop(): Promise<void>;
}

export async function startE2eStack(mongoUri: string): Promise<RunningStack> {
  // Plain JS modules of the repo's launcher, loaded at run time (no type declarations).
  const { startStack } = (await import(fileURLToPath(new URL('stack.mjs', scripts)))) as StackModule;
  const { ProcessGroup } = (await import(fileURLToPath(new URL('process-group.mjs', scripts)))) as ProcessGroupModule;
  const crashed: string[] = [];
  const group = new ProcessGroup({ onUnexpectedExit: (name) => void crashed.push(name) });

  const env: Record<string, string> = {
    MONGODB_URI: mongoUri,
    SALESFORCE_SANDBOX_PORT: String(E2E_PORTS.salesforce),
    SALESFORCE_SANDBOX_PUBLIC_URL: E2E_URLS.salesforce,
    SALESFORCE_SANDBOX_REDIRECT_URIS: `${E2E_URLS.bff}/api/v1/oauth/salesforce/callback`,
    BREVO_SANDBOX_PORT: String(E2E_PORTS.brevo),
    BREVO_SANDBOX_PUBLIC_URL: E2E_URLS.brevo,
    BFF_PORT: String(E2E_PORTS.bff),
    BFF_PUBLIC_URL: E2E_URLS.bff,
    SALESFORCE_LOGIN_URL: E2E_URLS.salesforce,
    BREVO_API_URL: `${E2E_URLS.brevo}/v3`,
    ALLOWED_HOST_ORIGINS: E2E_URLS.hostDemo,
    WEB_ORIGINS: E2E_URLS.web,
    WEB_PORT: String(E2E_PORTS.web),
    WEB_PUBLIC_URL: E2E_URLS.web,
    HOST_DEMO_PORT: String(E2E_PORTS.hostDemo),
    WEB_CACHE_DIR: join(tmpdir(), 'contact-sync-e2e-vite'),
    LOG_LEVEL: 'warn',
  };
  // startStack starts its own database unless MONGODB_URI is set in this process.
  const previous = process.env.MONGODB_URI;
  process.env.MONGODB_URI = mongoUri;
  try {
    const started = await startStack(group, { env });
    return {
      started,
      async stop() {
        await group.stopAll(5_000);
        if (crashed.length > 0) throw new Error(`stopped unexpectedly during the run: ${crashed.join(', ')}`);
      },
    };
  } catch (error) {
    await group.stopAll(2_000);
    throw error;
  } finally {
    if (previous === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previous;
  }
}
