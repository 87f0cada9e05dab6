// #4 Change latency with default settings (a run every 60 s, Brevo webhooks):
// 50 edits made through the Salesforce API → visible in Brevo, and 50 edits
// made in Brevo's web app (the sandbox delivers its webhook to the BFF) →
// visible in Salesforce. Real edits arrive at any moment of the schedule, not
// just after a run: each side's 50 edits fall at independent uniformly random
// instants of a 3-minute window (a Poisson process given its count; seeded,
// so every run spreads them the same way), i.e. over three schedule periods.
import { setTimeout as sleep } from 'node:timers/promises';
import { connectStore } from '@contact-sync/store';
import { JOBS_COLLECTION, SYNC_JOB } from '../../apps/worker/src/scheduler.ts';
import { seededRandom } from '../../packages/testing/src/seeded-random.ts';
import type { BenchContext } from '../context.ts';
import { figure, type Benchmark, type Figure } from '../runner.ts';
import { salesforceUser, updateRecords } from '../support/salesforce-client.ts';
import { DEFAULT_WORKER, SYNC_ACCOUNT, SyncScenario, type LoadedIntegration } from '../support/sync-scenario.ts';

const EDITS_PER_SIDE = 50;
const WINDOW_MS = 180_000;
/** After the last edit, how long the slowest may take to show before it counts as lost. */
const GRACE_MS = 5 * 60_000;
const POLL_MS = 500;
const TARGET_P95_S = { salesforceToBrevo: 75, brevoToSalesforce: 10 };

function editTimes(random: () => number): number[] {
  return Array.from({ length: EDITS_PER_SIDE }, () => Math.round(random() * WINDOW_MS)).sort((a, b) => a - b);
}

/** Nearest-rank percentile; Infinity when that rank was never seen. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.ceil(p * sorted.length) - 1]!;
}

/**
 * The default schedule: the recurring job keeps the interval of the worker that
 * created it, so pause and resume through the BFF (the workers' reconcile drops
 * the job, then makes it again with this worker's 60 s); waits until it has.
 */
async function rescheduleWithDefaults(integration: LoadedIntegration): Promise<void> {
  const { api, services } = integration.scenario;
  const connection = await connectStore(services.mongoUri);
  try {
    const jobs = connection.db!.collection<{ repeatInterval?: string }>(JOBS_COLLECTION);
    const recurring = () => jobs.find({ name: SYNC_JOB, 'data.integrationId': integration.id, 'data.kind': 'recurring' }).toArray();
    const until = async (what: string, done: (found: { repeatInterval?: string }[]) => boolean) => {
      const deadline = Date.now() + 60_000;
      while (!done(await recurring())) {
        if (Date.now() > deadline) throw new Error(`the workers' reconcile did not ${what} within 60 s`);
        await sleep(500);
      }
    };
    await api.request('POST', `/api/v1/integrations/${integration.id}/pause`);
    await until('drop the recurring job of a paused integration', (found) => found.length === 0);
    const resumed = new Date();
    await api.request('POST', `/api/v1/integrations/${integration.id}/resume`);
    await until('schedule the resumed integration every 60 s', (found) => found.length === 1 && found[0]!.repeatInterval === '60 seconds');
    await integration.waitForRun(resumed, 5 * 60_000); // the resume's own run, before any edit
  } finally {
    await connection.close();
  }
}

interface Edit {
  at: number;
  /** Salesforce Id (edits made in Salesforce) or e-mail (edits made in Brevo). */
  key: string;
  value: string;
  doneAt?: number;
  latencyMs?: number;
}

function latencyFigures(side: string, edits: Edit[], targetP95: number): Figure[] {
  const seen = edits.filter((edit) => edit.latencyMs !== undefined).map((edit) => edit.latencyMs! / 1000);
  const sorted = [...seen, ...Array<number>(edits.length - seen.length).fill(Infinity)].sort((a, b) => a - b);
  const lostBound = GRACE_MS / 1000;
  const shown = (value: number) => (value === Infinity ? lostBound : Math.round(value * 10) / 10);
  const p50 = percentile(sorted, 0.5);
  const p95 = percentile(sorted, 0.95);
  return [
    figure(`${side}, p50`, shown(p50), 's', undefined, p50 === Infinity),
    figure(`${side}, p95`, shown(p95), 's', { max: targetP95 }, p95 === Infinity),
    ...(seen.length < edits.length ? [figure(`${side}: edits never visible`, edits.length - seen.length, 'edits', { max: 0 })] : []),
  ];
}

export const changeLatencyBenchmark: Benchmark<BenchContext> = {
  name: 'change-latency',
  title: '#4 Change latency (50 edits each way, default settings)',
  async run(ctx) {
    const scenario = await SyncScenario.on(await ctx.stack());
    const { integration } = await scenario.hundredThousand();
    const conn = await salesforceUser(scenario.services.salesforceUrl, SYNC_ACCOUNT.salesforceUsername, SYNC_ACCOUNT.salesforcePassword);
    // Contacts #3 did not touch: the first 1,000 may still be settling if #3 ran alone before.
    const contacts = await integration.syncedContacts(conn, 2 * EDITS_PER_SIDE, 1_000);
    await scenario.restartWorker('worker-latency', DEFAULT_WORKER);
    await rescheduleWithDefaults(integration);

    const random = seededRandom(7);
    const tag = Date.now().toString(36);
    const inSalesforce: Edit[] = editTimes(random).map((at, i) => ({ at, key: contacts[i]!.Id, value: `Latency ${tag} ${i}` }));
    const emailOf = new Map(contacts.map((contact) => [contact.Id, contact.Email]));
    const inBrevo: Edit[] = editTimes(random).map((at, i) => ({ at, key: contacts[EDITS_PER_SIDE + i]!.Email, value: `Latency ${tag} ${i}` }));
    const brevoIdOf = new Map((await scenario.brevo.findContacts(SYNC_ACCOUNT.brevoAccountId, inBrevo.map((item) => item.key))).map((contact, i) => [inBrevo[i]!.key, contact!.id]));
    console.log(`  ${EDITS_PER_SIDE} edits each way at random instants of ${WINDOW_MS / 1000} s, then up to ${GRACE_MS / 1000} s for the last to show...`);

    const started = Date.now();
    const edit = async (item: Edit, write: () => Promise<unknown>) => {
      await sleep(Math.max(0, started + item.at - Date.now()));
      await write();
      item.doneAt = Date.now();
    };
    const editing = Promise.all([
      ...inSalesforce.map((item) => edit(item, () => updateRecords(conn, 'Contact', [{ Id: item.key, Title: item.value }]))),
      ...inBrevo.map((item) =>
        edit(item, () => scenario.brevo.editInWebApp(SYNC_ACCOUNT.brevoAccountId, brevoIdOf.get(item.key)!, { CITY: item.value })),
      ),
    ]);
    let editsDone = false;
    void editing.then(() => (editsDone = true));

    const waiting = (edits: Edit[]) => edits.filter((item) => item.doneAt !== undefined && item.latencyMs === undefined);
    let lastEditAt = Infinity;
    while (!editsDone || waiting(inSalesforce).length + waiting(inBrevo).length > 0) {
      const now = Date.now();
      if (editsDone) lastEditAt = Math.min(lastEditAt, now);
      if (now - lastEditAt > GRACE_MS) break;
      const toBrevo = waiting(inSalesforce);
      if (toBrevo.length > 0) {
        const found = await scenario.brevo.findContacts(SYNC_ACCOUNT.brevoAccountId, toBrevo.map((item) => emailOf.get(item.key)!));
        const seenAt = Date.now();
        toBrevo.forEach((item, i) => {
          if (found[i]?.attributes.JOB_TITLE === item.value) item.latencyMs = seenAt - item.doneAt!;
        });
      }
      const toSalesforce = waiting(inBrevo);
      if (toSalesforce.length > 0) {
        const ids = toSalesforce.map((item) => contacts.find((contact) => contact.Email === item.key)!.Id);
        const { records } = await conn.query<{ Id: string; MailingCity: string | null }>(`SELECT Id, MailingCity FROM Contact WHERE Id IN ('${ids.join("','")}')`);
        const seenAt = Date.now();
        const cityOf = new Map(records.map((record) => [record.Id, record.MailingCity]));
        toSalesforce.forEach((item, i) => {
          if (cityOf.get(ids[i]!) === item.value) item.latencyMs = seenAt - item.doneAt!;
        });
      }
      await sleep(POLL_MS);
    }
    await editing;
    await scenario.stopWorker();

    return {
      figures: [
        ...latencyFigures('Salesforce edit → Brevo', inSalesforce, TARGET_P95_S.salesforceToBrevo),
        ...latencyFigures('Brevo edit → Salesforce', inBrevo, TARGET_P95_S.brevoToSalesforce),
      ],
      notes: [
        `edits at uniformly random instants (seed 7) of a ${WINDOW_MS / 1000} s window, ${EDITS_PER_SIDE} per side, Salesforce Title through the API (→ Brevo JOB_TITLE), Brevo CITY in Brevo's web app, as a marketer edits (webhook → Salesforce MailingCity); ` +
          `latency = edit answered → first poll (every ${POLL_MS} ms, sandbox control routes and a SOQL query) showing the value`,
      ],
    };
  },
};
