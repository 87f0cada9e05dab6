// Browser tests run against the whole product, started the way `npm start`
// starts it (scripts/lib/stack.mjs), on free ports with a throw-away database.
// Each process's output goes to artifacts/e2e-logs/<name>.log.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.mjs';
import { ProcessGroup } from '../../scripts/lib/process-group.mjs';
import { startStack } from '../../scripts/lib/stack.mjs';
import { findFreePort } from '../../tools/devdb/launch.mjs';

export default async function setup(project) {
  const logDir = join(repoRoot, 'artifacts', 'e2e-logs');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });

  const ports = {};
  for (const name of ['devdb', 'salesforce', 'brevo', 'bff', 'web', 'host']) ports[name] = await findFreePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'contact-sync-e2e-db-'));
  const external = process.env.MONGODB_URI;

  const crashed = [];
  const group = new ProcessGroup({
    output: (name, line) => appendFileSync(join(logDir, `${name}.log`), line + '\n'),
    onUnexpectedExit: (name, code, signal) => {
      crashed.push(name);
      console.error(`e2e stack: ${name} exited (${signal ?? code}); see artifacts/e2e-logs/${name}.log`);
    },
  });
  try {
    const { env } = await startStack(group, {
      ports,
      dataDir,
      mongoUri: external ? databaseOn(external, `e2e_${Date.now()}`) : undefined,
      // A vite dependency cache of its own: a developer's dev server may be running too.
      env: { LOG_LEVEL: 'warn', NODE_ENV: 'test', WEB_CACHE_DIR: join(dataDir, 'vite-cache') },
    });
    project.provide('stack', {
      host: `http://localhost:${ports.host}`,
      web: env.WEB_PUBLIC_URL,
      bff: env.BFF_PUBLIC_URL,
      salesforce: env.SALESFORCE_SANDBOX_PUBLIC_URL,
      brevo: env.BREVO_SANDBOX_PUBLIC_URL,
      mongoUri: env.MONGODB_URI,
    });
  } catch (error) {
    await group.stopAll();
    throw error;
  }

  return async () => {
    await group.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
    // A service that died mid-run fails the run even if no test noticed.
    if (crashed.length > 0) throw new Error(`stopped unexpectedly during the browser tests: ${crashed.join(', ')}`);
  };
}

function databaseOn(uri, name) {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}
