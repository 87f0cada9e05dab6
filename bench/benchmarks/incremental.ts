// #3 Incremental: 1,000 of the 100,000 Contacts changed through the Salesforce
// API, then one run ("Sync now" through the BFF): its start → the last change
// visible in Brevo, and its API calls. Then a run with nothing changed: its
// API calls in total. The worker syncs only when asked, so no scheduled run
// can pick the changes up first.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext } from '../context.ts';
import { figure, type Benchmark } from '../runner.ts';
import { salesforceUser, updateRecords } from '../support/salesforce-client.ts';
import { SYNC_ACCOUNT, SyncScenario, type LoadedIntegration } from '../support/sync-scenario.ts';

const CHANGED = 1_000;
const RUN_TIMEOUT_MS = 15 * 60_000;

/** Runs started at or after `since` and their API calls, once the Salesforce → Brevo one has ended. */
async function runAndCount(integration: LoadedIntegration, since: Date) {
  const run = await integration.waitForRun(since, RUN_TIMEOUT_MS);
  const { salesforce, brevo } = integration.scenario;
  const [salesforceCalls, brevoCalls] = [await salesforce.calls(), await brevo.calls()];
  const runs = await integration.runsSince(since);
  return { run, runs, salesforceCalls, brevoCalls };
}

export const incrementalBenchmark: Benchmark<BenchContext> = {
  name: 'incremental',
  title: '#3 Incremental',
  async run(ctx) {
    const scenario = await SyncScenario.on(await ctx.stack());
    const { integration } = await scenario.hundredThousand();
    const conn = await salesforceUser(scenario.services.salesforceUrl, SYNC_ACCOUNT.salesforceUsername, SYNC_ACCOUNT.salesforcePassword);
    const changed = await integration.syncedContacts(conn, CHANGED);
    const tag = `Changed ${Date.now().toString(36)}`;
    await updateRecords(conn, 'Contact', changed.map((record, i) => ({ Id: record.Id, Title: `${tag} ${i}` })));

    await scenario.salesforce.resetCalls();
    await scenario.brevo.resetCalls();
    const requested = new Date();
    await scenario.api.syncNow(integration.id);
    // Until every change is in Brevo, or the run is over (a change the rules reject never shows).
    const emails = changed.map((record) => record.Email);
    let visible = 0;
    let visibleAt = requested.getTime();
    let runCheckedAt = 0;
    while (visible < CHANGED) {
      // The runs API is a database scan here: asked once a second, Brevo every 100 ms.
      let ended = false;
      if (Date.now() - runCheckedAt >= 1_000) {
        runCheckedAt = Date.now();
        ended = (await integration.finishedRun(requested)) !== undefined;
      }
      const contacts = await scenario.brevo.findContacts(SYNC_ACCOUNT.brevoAccountId, emails);
      const shown = contacts.filter((contact, i) => contact?.attributes.JOB_TITLE === `${tag} ${i}`).length;
      if (shown !== visible) [visible, visibleAt] = [shown, Date.now()];
      if (ended) break;
      if (Date.now() - requested.getTime() > RUN_TIMEOUT_MS) throw new Error(`the run with ${CHANGED} changes did not end within ${RUN_TIMEOUT_MS / 1000} s (${visible} in Brevo)`);
      await sleep(100);
    }
    const changedRun = await runAndCount(integration, requested);
    const startedAt = Math.min(...changedRun.runs.map((run) => Date.parse(run.startedAt)));

    await scenario.salesforce.resetCalls();
    await scenario.brevo.resetCalls();
    const idleRequested = new Date();
    await scenario.api.syncNow(integration.id);
    const idleRun = await runAndCount(integration, idleRequested);

    const changedCalls = changedRun.salesforceCalls.total + changedRun.brevoCalls.total;
    return {
      figures: [
        figure(`${CHANGED.toLocaleString('en-US')} changed of 100k: run start → last change in Brevo`, Math.round((visibleAt - startedAt) / 100) / 10, 's', { max: 5 }),
        figure(`${CHANGED.toLocaleString('en-US')} changed of 100k: API calls`, changedCalls, 'calls'),
        ...(visible < CHANGED ? [figure(`${CHANGED.toLocaleString('en-US')} changed of 100k: changes not in Brevo after the run`, CHANGED - visible, 'changes', { max: 0 })] : []),
        figure('0 changed: API calls in total', idleRun.salesforceCalls.total + idleRun.brevoCalls.total, 'calls', { max: 2 }),
      ],
      notes: [
        `${CHANGED} changed: run read ${changedRun.run.counts.read}, updated ${changedRun.run.counts.updated}, created ${changedRun.run.counts.created}; ` +
          `Salesforce ${JSON.stringify(changedRun.salesforceCalls.byRoute)}, Brevo ${JSON.stringify(changedRun.brevoCalls.byRoute)}; "Sync now" → run start ${startedAt - requested.getTime()} ms (the workers' reconcile)`,
        `0 changed: run read ${idleRun.run.counts.read}; Salesforce ${JSON.stringify(idleRun.salesforceCalls.byRoute)}, Brevo ${JSON.stringify(idleRun.brevoCalls.byRoute)}`,
      ],
    };
  },
};
