// #1 Initial load: 100,000 Salesforce Contacts → a Brevo list, end to end:
// "Save and activate" through the BFF (host JWT, as the microfrontend) →
// the last record in the Brevo sandbox's list, with a worker process of
// the product and the Brevo rate limits on.
import type { BenchContext } from '../context.ts';
import { figure, pending, type Benchmark } from '../runner.ts';
import { SyncScenario, type InitialLoadFigures } from '../support/sync-scenario.ts';

export const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** What every initial-load measurement prints besides its figures. */
export function describeInitialLoad(figures: InitialLoadFigures): string[] {
  const { run } = figures;
  return [
    `${figures.contacts.toLocaleString('en-US')} generated Contacts (+ the demo org's own): run read ${run.counts.read.toLocaleString('en-US')}, created ${run.counts.created.toLocaleString('en-US')}, ` +
      `updated ${run.counts.updated}, rejected ${run.counts.rejected.toLocaleString('en-US')}, failed ${run.counts.failed}; ${figures.listed.toLocaleString('en-US')} in the list`,
    `Salesforce calls by route: ${JSON.stringify(figures.salesforceCallsByRoute)}`,
    `Brevo calls by route: ${JSON.stringify(figures.brevoCallsByRoute)}`,
  ];
}

/** Records the run read from Salesforce (rejected ones included: each was handled) per second of wall time. */
export const recordsPerSecond = (figures: InitialLoadFigures) => Math.round(figures.run.counts.read / (figures.wallMs / 1000));

/** The worker's VmHWM against the 300 MB target (not measured where /proc is missing). */
export function peakRss(name: string, figures: InitialLoadFigures) {
  const target = { max: 300 };
  return figures.workerPeakRssMb === null ? pending(name, 'MB', target) : figure(name, figures.workerPeakRssMb, 'MB', target);
}

export const initialLoadBenchmark: Benchmark<BenchContext> = {
  name: 'initial-load',
  title: '#1 Initial load, 100k Contacts',
  async run(ctx) {
    const { figures } = await (await SyncScenario.on(await ctx.stack())).hundredThousand();
    return {
      figures: [
        figure('100k Contacts: wall time, activation → last record in Brevo', seconds(figures.wallMs), 's', { max: 60 }),
        figure('100k Contacts: records per second', recordsPerSecond(figures), 'records/s'),
        figure('100k Contacts: Salesforce API calls', figures.salesforceCalls, 'calls', { max: 150 }),
        figure('100k Contacts: Brevo API calls', figures.brevoCalls, 'calls', { max: 400 }),
        peakRss('100k Contacts: worker peak RSS', figures),
      ],
      notes: describeInitialLoad(figures),
    };
  },
};
