import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { quotaMonth } from '@contact-sync/rules';
import { seededRandom, useTestDatabase } from '@contact-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegration } from './run-integration.ts';
import { applySalesforceChanges, syncSalesforceToBrevo } from './salesforce-to-brevo.ts';
import { BREVO_LIMITS_OFF_FOR_API_CHECKS, FAKE_SEALER, createIntegration, engineDeps, explainedRecords, listDifferences, listMembers, startHarness, startWebhookReceiver, type Harness } from './testing/harness.ts';
import { registerIntegrationWebhook } from './webhooks.ts';
import type { IntegrationSnapshot } from './integration.ts';
import { ENGINE_CHILD_INPUT, type EngineChildInput } from './testing/engine-child-input.ts';

const database = useTestDatabase('sync_sigkill');
let harness: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** Kills at each point (`npm run test:soak` runs more). */
const KILL_ROUNDS = Number(process.env.SOAK_SIGKILL_RUNS ?? 1);

beforeAll(async () => {
  // Set up, edited and checked through Brevo's API between runs: see BREVO_LIMITS_OFF_FOR_API_CHECKS.
  harness = await startHarness(database.connection.db!, { webhooks: { batchWindowMs: 20 }, ...BREVO_LIMITS_OFF_FOR_API_CHECKS });
  receiver = await startWebhookReceiver(harness.store);
  await fetch(`${harness.salesforce.url}/__sandbox/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ object: 'Contact', count: 1_000, stamps: 'past' }),
  });
});
afterAll(async () => {
  await receiver.close();
  await harness.stop();
});

/** What the engine child needs to run this integration against the test's sandboxes and database. */
function childInput(integration: IntegrationSnapshot, run?: EngineChildInput['run']): EngineChildInput {
  return {
    mongoUri: database.uri,
    instanceUrl: harness.conn.instanceUrl,
    accessToken: harness.conn.accessToken!, // logged in by the harness
    brevoBaseUrl: harness.brevo.baseUrl,
    apiKey: 'xkeysib-sandbox-demo',
    integration,
    ...(run ? { run } : {}),
  };
}

/** Runs the engine in a child process (testing/engine-child.ts) and SIGKILLs it once its output so far says so. */
async function runAndKill(input: EngineChildInput, killWhen: (output: string) => boolean): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/engine-child.ts'], {
    cwd: packageDir,
    env: { ...process.env, [ENGINE_CHILD_INPUT]: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (child.signalCode === null && killWhen(output)) child.kill('SIGKILL');
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
      const input = childInput(integration);
      const output = await runAndKill(input, (out) => out.includes(`checkpoint ${point}`));
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
      const explained = await explainedRecords(harness.store, integration.id);
      const inList = new Set(extIds);
      expect(live.filter((id) => !inList.has(id) && !explained.has(id))).toEqual([]);
      expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(members.length);
    }, 60_000);
  }
});

describe('a worker SIGKILLed with imports held, before the look that confirms them', () => {
  it("one row Brevo skipped (its email is an earlier chunk's contact): the next run unlinks it and records its R15; exact list, quota counted once", async () => {
    const integration = await createIntegration(harness);
    // The oldest record is in the first chunk; a new one with its email is the newest, in the last chunk.
    const [oldest] = (await harness.conn.query<{ Id: string; Email: string }>("SELECT Id, Email FROM Contact WHERE Email LIKE '%@%' ORDER BY SystemModstamp ASC, Id ASC LIMIT 1")).records;
    const twin = await harness.conn.sobject('Contact').create({ LastName: 'Same Email', Email: oldest!.Email });
    try {
      // Killed once the last chunk's links are saved (the run reads deleted rows too): the look that confirms the held
      // imports comes after a wait.
      const rows = (await harness.conn.query('SELECT Id FROM Contact', { scanAll: true })).totalSize;
      await runAndKill(childInput(integration), (out) => out.includes(`checkpoint ${Math.ceil(rows / CHUNK_SIZE) - 1} links-saved`));
      const held = (await harness.store.state.get(integration.id)).unconfirmedImports ?? [];
      expect(held.length).toBeGreaterThan(1);
      // Linked when imported, though Brevo skipped its row.
      expect((await harness.store.links.findBySalesforceIds(integration.id, [twin.id!])).has(twin.id!)).toBe(true);

      const resumed = await syncSalesforceToBrevo(integration, engineDeps(harness));
      expect(resumed.error).toBeUndefined();
      expect(resumed.end).toBe('completed');
      expect((await harness.store.state.get(integration.id)).unconfirmedImports).toEqual([]);
      const members = await listMembers(harness.client, integration.listId);
      const links = await harness.store.links.list(integration.id);
      expect(links.map((link) => link.salesforceId).sort()).toEqual(members.map((member) => member.attributes.EXT_ID as string).sort());
      expect(links.some((link) => link.salesforceId === twin.id)).toBe(false);
      const errors = await harness.store.errors.listForRun(resumed.runId!);
      expect(errors.filter((error) => error.salesforceId === twin.id)).toMatchObject([{ rule: 'R15', code: 'duplicate', field: 'email' }]);
      expect(await harness.store.quota.used(integration.id, quotaMonth(new Date()))).toBe(members.length);
    } finally {
      await harness.conn.sobject('Contact').destroy(twin.id!);
    }
  }, 60_000);
});

describe('a stream batch after a worker SIGKILLed during a run', () => {
  it("closes the run the killed worker left running before it records its own (the batch holds the integration's lease now)", async () => {
    const integration = await createIntegration(harness);
    await runAndKill(childInput(integration), (out) => out.includes('checkpoint 1 brevo-written'));
    const [left] = await harness.store.runs.list(integration.id, 1);
    expect(left).toMatchObject({ status: 'running' });
    expect((await harness.store.state.get(integration.id)).currentRun?.runId).toBe(left!._id);

    // A change streamed for one Contact (Change Data Capture), applied as the worker's stream session applies it.
    const [contact] = (await harness.conn.query<{ Id: string }>("SELECT Id FROM Contact WHERE Email LIKE '%@%' ORDER BY Id DESC LIMIT 1")).records;
    await harness.conn.sobject('Contact').update({ Id: contact!.Id, Title: 'Streamed after a kill' });
    const [row] = (await harness.conn.query<{ SystemModstamp: string }>(`SELECT SystemModstamp FROM Contact WHERE Id = '${contact!.Id}'`)).records;
    const change = { id: contact!.Id, deleted: false, complete: false, values: { Title: 'Streamed after a kill' }, modstamp: row!.SystemModstamp, origins: [] };
    const batch = await applySalesforceChanges(integration, [change], engineDeps(harness), `stream|${integration.id}|after-kill`);
    expect(batch.error).toBeUndefined();

    expect(await harness.store.runs.get(left!._id)).toMatchObject({ status: 'failed', outcome: { code: 'worker_lost' } });
    expect(await harness.store.runs.get(batch.runId!)).toMatchObject({ status: 'succeeded', trigger: 'salesforce_change' });
    expect((await harness.store.runs.list(integration.id, 50)).filter((run) => run.status === 'running')).toEqual([]);
    expect((await harness.store.state.get(integration.id)).currentRun).toBeNull();
  }, 60_000);
});

/** Runs killed at a random step (`npm run test:soak` runs more); SOAK_SEED replays a failure. */
const RANDOM_KILLS = Number(process.env.SOAK_RANDOM_KILLS ?? 5);
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CHUNK_SIZE = 200;

/** Steps the child prints: a checkpoint inside a chunk, or an API call about to be made. */
const stepsIn = (output: string) => output.match(/^(checkpoint|call) /gm)?.length ?? 0;

describe(`a worker SIGKILLed at a random step of ${RANDOM_KILLS} runs (seed ${SEED})`, () => {
  it('after each restart: the exact list and attributes, Salesforce records with the Brevo edits, quota charged once, no duplicates', async () => {
    console.log(`sigkill random steps: SOAK_SEED=${SEED}`);
    const random = seededRandom(SEED);
    const integration: IntegrationSnapshot = await createIntegration(harness);
    await registerIntegrationWebhook(integration.id, { brevo: harness.client, store: harness.store, secrets: FAKE_SEALER, bffPublicUrl: receiver.url });
    const input = childInput(integration, 'integration');
    const contactCount = async () => (await harness.conn.query('SELECT COUNT() FROM Contact')).totalSize;
    const contactsAtStart = await contactCount();
    let expectedQuota = 0;
    let created = 0;

    for (let run = 1; run <= RANDOM_KILLS; run += 1) {
      // The steps this run cannot do without: six checkpoints per chunk of changed records, Salesforce's
      // describe and query, and (with Brevo edits pending) Brevo → Salesforce's describe, query and update.
      let fewestSteps: number;
      const brevoEdited: { id: number; salesforceId: string; firstName: string }[] = [];
      if (run === 1) {
        fewestSteps = 6 * Math.ceil(contactsAtStart / CHUNK_SIZE) + 2;
      } else {
        const members = await listMembers(harness.client, integration.listId);
        // With an email: Brevo's webhooks name a contact by its email only (one without is never matched back).
        const linked = members.filter((m) => typeof m.attributes.EXT_ID === 'string' && m.email);
        const offset = (run * 15) % (linked.length - 15);
        const salesforceEdited = linked.slice(offset, offset + 10).map((m) => String(m.attributes.EXT_ID));
        await harness.conn.sobject('Contact').update(salesforceEdited.map((Id) => ({ Id, Title: `Killed run ${run}` })));
        const fresh = await harness.conn.sobject('Contact').create([1, 2, 3].map((i) => ({ LastName: `Newcomer ${run}.${i}`, Email: `newcomer.${run}.${i}.${SEED}@example.test` })));
        expect(fresh.every((result) => result.success)).toBe(true);
        created += 3;
        for (const member of linked.slice(offset + 10, offset + 15)) {
          const firstName = `Brevina ${run}.${member.id}`;
          await harness.client.contacts.updateContact({ identifier: String(member.id), identifierType: 'contact_id', attributes: { FIRSTNAME: firstName } });
          brevoEdited.push({ id: member.id, salesforceId: String(member.attributes.EXT_ID), firstName });
        }
        await harness.brevo.deliveries.idle();
        expectedQuota += 10 + 3 + brevoEdited.length;
        fewestSteps = 6 + 2 + 3;
      }

      const killAt = 1 + Math.floor(random() * fewestSteps);
      const output = await runAndKill(input, (out) => stepsIn(out) >= killAt);
      expect(output, `run ${run} ended before step ${killAt} (SOAK_SEED=${SEED})`).not.toMatch(/^done /m);

      // Restarted: the next run picks up where the killed one stopped (its echoes delivered first).
      await harness.brevo.deliveries.idle();
      const resumed = await runIntegration(integration, engineDeps(harness));
      expect([resumed.brevoToSalesforce.end, resumed.salesforceToBrevo?.end], `run ${run} killed at step ${killAt} (SOAK_SEED=${SEED})`).toEqual(['completed', 'completed']);
      if (run === 1) expectedQuota = (await listMembers(harness.client, integration.listId)).length;

      const where = `after run ${run}, killed at step ${killAt} of at least ${fewestSteps} (SOAK_SEED=${SEED})`;
      expect(await listDifferences(harness, integration), where).toEqual([]);
      const firstNames = brevoEdited.length === 0 ? new Map() : new Map(
        (await harness.conn.query<{ Id: string; FirstName: string | null }>(`SELECT Id, FirstName FROM Contact WHERE Id IN ('${brevoEdited.map((e) => e.salesforceId).join("', '")}')`)).records.map((r) => [r.Id, r.FirstName]),
      );
      expect(brevoEdited.map((e) => firstNames.get(e.salesforceId)), where).toEqual(brevoEdited.map((e) => e.firstName));
      expect(await contactCount(), where).toBe(contactsAtStart + created);
      expect(await harness.store.quota.used(integration.id, quotaMonth(new Date())), where).toBe(expectedQuota);
    }
  }, 60_000 + RANDOM_KILLS * 40_000);
});
