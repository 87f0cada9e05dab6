// #1, second part: 1,000,000 Contacts. The worker must stream (never hold the
// org in memory): its peak RSS stays within the same 300 MB. Runs last, on
// sandboxes reset to their seed (the 100k integration is deleted first,
// through the BFF), and is skipped with --skip-million.
import type { BenchContext } from '../context.ts';
import { figure, type Benchmark } from '../runner.ts';
import { SyncScenario } from '../support/sync-scenario.ts';
import { describeInitialLoad, peakRss, recordsPerSecond, seconds } from './initial-load.ts';

const MILLION = 1_000_000;

export const initialLoadMillionBenchmark: Benchmark<BenchContext> = {
  name: 'initial-load-1m',
  title: '#1 Initial load, 1M Contacts',
  async run(ctx) {
    const scenario = await SyncScenario.on(await ctx.stack());
    await scenario.stopWorker();
    for (const integration of await scenario.api.request<{ integrations: { id: string }[] }>('GET', '/api/v1/integrations').then((page) => page.integrations)) {
      await scenario.api.deleteIntegration(integration.id);
    }
    await scenario.salesforce.reset();
    await scenario.brevo.reset();
    const { figures } = await scenario.initialLoad('Bench 1M', MILLION, 60 * 60_000);
    await scenario.stopWorker();
    return {
      figures: [
        figure('1M Contacts: wall time, activation → last record in Brevo', seconds(figures.wallMs), 's'),
        figure('1M Contacts: records per second', recordsPerSecond(figures), 'records/s'),
        figure('1M Contacts: Salesforce API calls', figures.salesforceCalls, 'calls'),
        figure('1M Contacts: Brevo API calls', figures.brevoCalls, 'calls'),
        peakRss('1M Contacts: worker peak RSS', figures),
      ],
      notes: describeInitialLoad(figures),
    };
  },
};
