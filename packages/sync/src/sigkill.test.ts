import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { quotaMonth } from '@contact-sync/rules';
import { useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { createIntegration, engineDeps, listMembers, startHarness, type Harness } from './testing/harness.ts';

const database = useTestDatabase('sync_sigkill');
let harness: Harness;
const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** Kills at each point (`npm run test:soak` runs more). */
const KILL_ROUNDS = Number(process.env.SOAK_SIGKILL_RUNS ?? 1);

beforeAll(async () => {
  harness = await startHarness(database.connection.db!);
  await fetch(`${harness.salesforce.url}/__sandbox/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ object: 'Contact', count: 1_000, stamps: 'past' }),
  });
});
afterAll(async () => {
  await harness.stop();
});

/** Runs the engine in a child process and SIGKILLs it when it prints `checkpoint <chunk> <point>`. */
async function runAndKill(input: object, killAt: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/engine-child.ts'], {
    cwd: packageDir,
    env: { ...process.env, ENGINE_CHILD_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes(killAt)) child.kill('SIGKILL');
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const signal = await exited;
  expect(signal, output).toBe('SIGKILL');
  return output;
}

describe('a worker SIGKILLed in the middle of an initial load', () => {
  const kills = Array.from({ length: KILL_ROUNDS }, (_, round) => ['2 brevo-written', '4 links-saved'].map((point) => ({ point, round: round + 1 }))).flat();
  for (const { point, round } of kills) {
    it(`resumes to the exact list with no duplicates and quota counted once (killed after chunk ${point}, round ${round})`, async () => {
      const integration = await createIntegration(harness);
      const input = {
        mongoUri: database.uri,
        instanceUrl: harness.conn.instanceUrl,
        accessToken: harness.conn.accessToken,
        brevoBaseUrl: harness.brevo.baseUrl,
        apiKey: 'xkeysib-sandbox-demo',
        integration,
      };
      const output = await runAndKill(input, `checkpoint ${point}`);
      expect(output).not.toContain('done');
      const before = await listMembers(harness.client, integration.listId);
      expect(before.length).toBeGreaterThan(0);

      const resumed = await syncSalesforceToBrevo(integration, engineDeps(harness));
      expect(resumed.error).toBeUndefined();
      expect(resumed.end).toBe('completed');

      const members = await listMembers(harness.client, integration.listId);
      const links = await harness.store.links.list(integration.id);
      const extIds = members.map((m) => m.attributes.EXT_ID as string);
      expect(new Set(extIds).size).toBe(extIds.length);
      expect(extIds.sort()).toEqual(links.map((l) => l.salesforceId).sort());
      expect(members.length).toBeGreaterThan(1_000);
      // Every live Salesforce Contact is either in the list or explained by a record error.
      const live = (await harness.conn.query<{ Id: string }>('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 10_000 })).records.map((r) => r.Id);
      const explained = new Set((await harness.store.errors.listForIntegration(integration.id, 10_000)).filter((e) => e.severity === 'error').map((e) => e.salesforceId));
      const inList = new Set(extIds);
      expect(live.filter((id) => !inList.has(id) && !explained.has(id))).toEqual([]);
      expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(members.length);
    }, 60_000);
  }
});
