// #4 Change latency with default settings, each direction in a window of its
// own (so neither direction's activity triggers the other's runs):
//   1. 50 edits made through the Salesforce API → visible in Brevo, with
//      Salesforce changes streamed (Change Data Capture, the default);
//   2. 50 edits made in Brevo's web app (its webhook goes to the BFF) →
//      visible in Salesforce;
//   3. 1,000 single-record edits through the Salesforce API over 3 minutes,
//      streamed: the Salesforce API calls the product makes meanwhile;
//   4. as 1., with streaming off (SYNC_STREAMING=off): the fallback's
//      latency, the watermark run every 60 s.
// Real edits arrive at any moment: each window's edits fall at independent
// uniformly random instants of 3 minutes (a Poisson process given its
// count; seeded, so every run spreads them the same way).
import { setTimeout as sleep } from 'node:timers/promises';
import type { IntegrationDto } from '@contact-sync/api';
import { connectStore } from '@contact-sync/store';
import type { Connection } from 'jsforce';
import { JOBS_COLLECTION, SYNC_JOB } from '../../apps/worker/src/scheduler.ts';
import { seededRandom } from '../../packages/testing/src/seeded-random.ts';
import type { BenchContext } from '../context.ts';
import { figure, type Benchmark, type Figure } from '../runner.ts';
import { salesforceUser } from '../support/salesforce-client.ts';
import { DEFAULT_WORKER, SYNC_ACCOUNT, SyncScenario, type LoadedIntegration } from '../support/sync-scenario.ts';

const EDITS_PER_WINDOW = 50;
const API_CALL_EDITS = 1_000;
const WINDOW_MS = 180_000;
/** After a window's last edit, how long the slowest may take to show before it counts as lost. */
const GRACE_MS = { streamed: 60_000, polled: 3 * 60_000 };
const POLL_MS = 500;
const TARGETS_S = { salesforceToBrevo: { p50: 2, p95: 5 }, brevoToSalesforce: { p95: 5 } };
/** "About zero beyond the subscription": what a safety-net run in the window may add (its queryAll and describe). */
const API_CALLS_TARGET = 5;
/** The single-record edit the benchmark itself makes (not counted as the product's). */
const EDIT_ROUTE = 'PATCH /services/data/v62.0/sobjects/Contact/:id';

function editTimes(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => Math.round(random() * WINDOW_MS)).sort((a, b) => a - b);
}

/** Nearest-rank percentile; Infinity when that rank was never seen. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.ceil(p * sorted.length) - 1]!;
}

interface Edit {
  at: number;
  /** The record edited: Salesforce Id (edits in Salesforce) or e-mail (edits in Brevo). */
  key: string;
  value: string;
  doneAt?: number;
  latencyMs?: number;
}

/**
 * Makes each edit at its instant of the window and polls the other side every
 * POLL_MS until each shows (or the grace after the last edit is over).
 * `seen` returns, for the edits still waiting, whether each shows now.
 */
async function measureWindow(edits: Edit[], write: (edit: Edit) => Promise<unknown>, seen: (waiting: Edit[]) => Promise<boolean[]>, graceMs: number): Promise<void> {
  const started = Date.now();
  let editsDone = false;
  const editing = Promise.all(
    edits.map(async (edit) => {
      await sleep(Math.max(0, started + edit.at - Date.now()));
      await write(edit);
      edit.doneAt = Date.now();
    }),
  ).then(() => (editsDone = true));
  let lastEditAt = Infinity;
  for (;;) {
    const waiting = edits.filter((edit) => edit.doneAt !== undefined && edit.latencyMs === undefined);
    if (editsDone && waiting.length === 0) break;
    if (editsDone) lastEditAt = Math.min(lastEditAt, Date.now());
    if (Date.now() - lastEditAt > graceMs) break;
    if (waiting.length > 0) {
      const shown = await seen(waiting);
      const at = Date.now();
      waiting.forEach((edit, i) => {
        if (shown[i]) edit.latencyMs = at - edit.doneAt!;
      });
    }
    await sleep(POLL_MS);
  }
  await editing;
}

function latencyFigures(side: string, edits: Edit[], graceMs: number, targets: { p50?: number; p95?: number }): Figure[] {
  const seen = edits.filter((edit) => edit.latencyMs !== undefined).map((edit) => edit.latencyMs! / 1000);
  const sorted = [...seen, ...Array<number>(edits.length - seen.length).fill(Infinity)].sort((a, b) => a - b);
  const shown = (value: number) => (value === Infinity ? graceMs / 1000 : Math.round(value * 10) / 10);
  const p50 = percentile(sorted, 0.5);
  const p95 = percentile(sorted, 0.95);
  return [
    figure(`${side}, p50`, shown(p50), 's', targets.p50 === undefined ? undefined : { max: targets.p50 }, p50 === Infinity),
    figure(`${side}, p95`, shown(p95), 's', targets.p95 === undefined ? undefined : { max: targets.p95 }, p95 === Infinity),
    ...(seen.length < edits.length ? [figure(`${side}: edits never visible`, edits.length - seen.length, 'edits', { max: 0 })] : []),
  ];
}

/** Waits until the integration's page says Salesforce changes arrive this way (`reason` too while polling). */
async function waitForDelivery(integration: LoadedIntegration, mode: 'realtime' | 'polling', reason: string | null, timeoutMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { changeDelivery } = await integration.scenario.api.request<IntegrationDto>('GET', `/api/v1/integrations/${integration.id}`);
    if (changeDelivery?.mode === mode && changeDelivery.reason === reason) return;
    if (Date.now() > deadline) throw new Error(`the integration's changes did not arrive by ${mode} (${reason}) within ${timeoutMs / 1000} s: ${JSON.stringify(changeDelivery)}`);
    await sleep(1_000);
  }
}

/** Waits until the workers' reconcile gave the integration's recurring run this interval. */
async function waitForInterval(integration: LoadedIntegration, interval: string): Promise<void> {
  const connection = await connectStore(integration.scenario.services.mongoUri);
  try {
    const jobs = connection.db!.collection<{ repeatInterval?: string }>(JOBS_COLLECTION);
    const deadline = Date.now() + 60_000;
    while ((await jobs.find({ name: SYNC_JOB, 'data.integrationId': integration.id, 'data.kind': 'recurring' }).toArray()).map((job) => job.repeatInterval).join() !== interval) {
      if (Date.now() > deadline) throw new Error(`the workers' reconcile did not schedule the integration every ${interval} within 60 s`);
      await sleep(500);
    }
  } finally {
    await connection.close();
  }
}

export const changeLatencyBenchmark: Benchmark<BenchContext> = {
  name: 'change-latency',
  title: '#4 Change latency (each direction in its own window, default settings; streaming off)',
  async run(ctx) {
    const scenario = await SyncScenario.on(await ctx.stack());
    const { integration } = await scenario.hundredThousand();
    const conn: Connection = await salesforceUser(scenario.services.salesforceUrl, SYNC_ACCOUNT.salesforceUsername, SYNC_ACCOUNT.salesforcePassword);
    // Contacts #3 did not touch (the first 1,000 may still be settling if #3 ran alone before).
    const contacts = await integration.syncedContacts(conn, 3 * EDITS_PER_WINDOW + API_CALL_EDITS, 1_000);
    const emailOf = new Map(contacts.map((contact) => [contact.Id, contact.Email]));
    const random = seededRandom(7);
    const tag = Date.now().toString(36);
    const titleEdits = (from: number, count: number, label: string): Edit[] =>
      editTimes(random, count).map((at, i) => ({ at, key: contacts[from + i]!.Id, value: `${label} ${tag} ${i}` }));
    const editTitle = (edit: Edit) => conn.sobject('Contact').update({ Id: edit.key, Title: edit.value });
    const titlesInBrevo = async (waiting: Edit[]) => {
      const found = await scenario.brevo.findContacts(SYNC_ACCOUNT.brevoAccountId, waiting.map((edit) => emailOf.get(edit.key)!));
      return waiting.map((edit, i) => found[i]?.attributes.JOB_TITLE === edit.value);
    };

    // Streaming on (the default): after the worker subscribed and caught up.
    await scenario.restartWorker('worker-latency', DEFAULT_WORKER);
    await waitForDelivery(integration, 'realtime', null);
    await waitForInterval(integration, '900 seconds');

    console.log(`  1. ${EDITS_PER_WINDOW} Salesforce edits at random instants of ${WINDOW_MS / 1000} s, streamed...`);
    const streamed = titleEdits(0, EDITS_PER_WINDOW, 'Streamed');
    await measureWindow(streamed, editTitle, titlesInBrevo, GRACE_MS.streamed);

    console.log(`  2. ${EDITS_PER_WINDOW} Brevo edits in its web app at random instants of ${WINDOW_MS / 1000} s...`);
    const inBrevo: Edit[] = editTimes(random, EDITS_PER_WINDOW).map((at, i) => ({ at, key: contacts[EDITS_PER_WINDOW + i]!.Email, value: `Latency ${tag} ${i}` }));
    const brevoIdOf = new Map((await scenario.brevo.findContacts(SYNC_ACCOUNT.brevoAccountId, inBrevo.map((edit) => edit.key))).map((contact, i) => [inBrevo[i]!.key, contact!.id]));
    const idOfEmail = new Map(contacts.map((contact) => [contact.Email, contact.Id]));
    await measureWindow(
      inBrevo,
      (edit) => scenario.brevo.editInWebApp(SYNC_ACCOUNT.brevoAccountId, brevoIdOf.get(edit.key)!, { CITY: edit.value }),
      async (waiting) => {
        const ids = waiting.map((edit) => idOfEmail.get(edit.key)!);
        const { records } = await conn.query<{ Id: string; MailingCity: string | null }>(`SELECT Id, MailingCity FROM Contact WHERE Id IN ('${ids.join("','")}')`);
        const cityOf = new Map(records.map((record) => [record.Id, record.MailingCity]));
        return waiting.map((edit, i) => cityOf.get(ids[i]!) === edit.value);
      },
      GRACE_MS.streamed,
    );

    console.log(`  3. ${API_CALL_EDITS.toLocaleString('en-US')} single-record Salesforce edits over ${WINDOW_MS / 1000} s, streamed: the product's Salesforce API calls...`);
    const many = titleEdits(3 * EDITS_PER_WINDOW, API_CALL_EDITS, 'Counted');
    await scenario.salesforce.resetCalls();
    await measureWindow(many, editTitle, titlesInBrevo, GRACE_MS.streamed);
    const calls = await scenario.salesforce.calls();
    const productCalls = calls.total - (calls.byRoute[EDIT_ROUTE] ?? 0);
    const productRoutes = Object.entries(calls.byRoute).filter(([route]) => route !== EDIT_ROUTE);

    console.log(`  4. ${EDITS_PER_WINDOW} Salesforce edits at random instants of ${WINDOW_MS / 1000} s, streaming off...`);
    await scenario.restartWorker('worker-latency-polling', { ...DEFAULT_WORKER, SYNC_STREAMING: 'off' });
    await waitForDelivery(integration, 'polling', 'streaming_disabled');
    await waitForInterval(integration, '60 seconds');
    const polled = titleEdits(2 * EDITS_PER_WINDOW, EDITS_PER_WINDOW, 'Polled');
    await measureWindow(polled, editTitle, titlesInBrevo, GRACE_MS.polled);
    await scenario.stopWorker();

    return {
      figures: [
        ...latencyFigures('Salesforce edit → Brevo, streamed', streamed, GRACE_MS.streamed, TARGETS_S.salesforceToBrevo),
        ...latencyFigures('Brevo edit → Salesforce', inBrevo, GRACE_MS.streamed, TARGETS_S.brevoToSalesforce),
        figure(`Salesforce API calls by the product, ${API_CALL_EDITS.toLocaleString('en-US')} single-record edits over ${WINDOW_MS / 1000} s, streamed`, productCalls, 'calls', { max: API_CALLS_TARGET }),
        ...latencyFigures(`Salesforce edit → Brevo, ${API_CALL_EDITS.toLocaleString('en-US')} edits over ${WINDOW_MS / 1000} s, streamed`, many, GRACE_MS.streamed, {}),
        ...latencyFigures('Salesforce edit → Brevo, streaming off (watermark run every 60 s)', polled, GRACE_MS.polled, {}),
      ],
      notes: [
        `each window: edits at uniformly random instants (seed 7) of ${WINDOW_MS / 1000} s, one direction only; Salesforce Title through the API (→ Brevo JOB_TITLE), Brevo CITY in Brevo's web app as a marketer edits (webhook → Salesforce MailingCity); ` +
          `latency = edit answered → first poll (every ${POLL_MS} ms, sandbox control routes and a SOQL query) showing the value`,
        `the product's Salesforce calls while ${API_CALL_EDITS.toLocaleString('en-US')} edits streamed (the benchmark's own ${EDIT_ROUTE} excluded): ${productRoutes.length === 0 ? 'none' : productRoutes.map(([route, count]) => `${route} × ${count}`).join(', ')}; the CometD long polls are not REST calls`,
      ],
    };
  },
};
