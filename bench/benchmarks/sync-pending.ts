// #1–#4 measure the sync worker, which is not built yet (issue 6). Each is
// registered with the figures and targets issue 7 asks for, and reports them
// as not measured: no figure is made up. When the worker lands, replace each
// `run` with a module of its own that drives the worker against the stack.
import type { BenchContext } from '../context.ts';
import { pending, type Benchmark, type Figure } from '../runner.ts';

const REASON = 'needs the sync worker (issue 6)';

function notYet(name: string, title: string, figures: Figure[]): Benchmark<BenchContext> {
  return { name, title, run: async () => ({ figures, notMeasured: REASON }) };
}

export const syncBenchmarks: Benchmark<BenchContext>[] = [
  notYet('initial-load', '#1 Initial load', [
    pending('100k Contacts: wall time, activation → last record in Brevo', 's', { max: 60 }),
    pending('100k Contacts: records per second', 'records/s'),
    pending('100k Contacts: Salesforce API calls', 'calls', { max: 150 }),
    pending('100k Contacts: Brevo API calls', 'calls', { max: 400 }),
    pending('100k Contacts: worker peak RSS', 'MB', { max: 300 }),
    pending('1M Contacts: wall time', 's'),
    pending('1M Contacts: worker peak RSS', 'MB', { max: 300 }),
  ]),
  notYet('naive-baseline', '#2 Naive baseline (one upsert per record)', [
    pending('100k Contacts: naive wall time', 's'),
    pending('time ratio naive / product', '×'),
    pending('API call ratio naive / product', '×'),
  ]),
  notYet('incremental', '#3 Incremental', [
    pending('1,000 changed of 100k: run start → last change in Brevo', 's', { max: 5 }),
    pending('1,000 changed of 100k: API calls', 'calls'),
    pending('0 changed: API calls in total', 'calls', { max: 2 }),
  ]),
  notYet('change-latency', '#4 Change latency (50 edits, default settings)', [
    pending('Salesforce edit → Brevo, p50', 's'),
    pending('Salesforce edit → Brevo, p95', 's', { max: 75 }),
    pending('Brevo edit → Salesforce, p50', 's'),
    pending('Brevo edit → Salesforce, p95', 's', { max: 10 }),
  ]),
];
