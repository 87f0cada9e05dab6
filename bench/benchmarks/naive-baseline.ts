// #2 The naive approach on the same 100,000 Contacts, in the same run: jsforce's
// default query paging and one Brevo upsert per record (bench/support/naive-sync.ts),
// against a Brevo sandbox of its own with the same rate limits, so that its
// writes never reach the product's Brevo account (they would come back to the
// product as webhooks). Under Brevo's 10 requests/s, 100k upserts take hours:
// they run on a sample and the rest is extrapolated, and the figures say so.
import { createBrevoClient } from '@contact-sync/brevo';
import type { BenchContext } from '../context.ts';
import { figure, type Benchmark } from '../runner.ts';
import { naiveSync } from '../support/naive-sync.ts';
import { BrevoControl } from '../support/sandbox-control.ts';
import { BENCH_MAPPING, SYNC_ACCOUNT, SyncScenario } from '../support/sync-scenario.ts';
import { seconds } from './initial-load.ts';

const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;

export const naiveBaselineBenchmark: Benchmark<BenchContext> = {
  name: 'naive-baseline',
  title: '#2 Naive baseline (one upsert per record)',
  async run(ctx) {
    const stack = await ctx.stack();
    const scenario = await SyncScenario.on(stack);
    const { figures: product } = await scenario.hundredThousand();

    const brevoUrl = await stack.separateBrevoSandbox('brevo-sandbox-naive');
    const brevo = new BrevoControl(brevoUrl);
    const list = await createBrevoClient({ apiKey: SYNC_ACCOUNT.brevoApiKey, baseUrl: `${brevoUrl}/v3` }).contacts.createList({ name: 'Naive baseline', folderId: 1 });
    await scenario.salesforce.resetCalls();
    await brevo.resetCalls();
    console.log(`  naive sync: reading every Contact, then ${ctx.naiveSample.toLocaleString('en-US')} upserts one by one (≈ 10 per second under Brevo's limit)...`);
    const naive = await naiveSync({
      salesforce: { loginUrl: scenario.services.salesforceUrl, username: SYNC_ACCOUNT.salesforceUsername, password: SYNC_ACCOUNT.salesforcePassword },
      brevo: { baseUrl: `${brevoUrl}/v3`, apiKey: SYNC_ACCOUNT.brevoApiKey, listId: list.id! },
      mapping: BENCH_MAPPING,
      sample: ctx.naiveSample,
    });
    const salesforceCalls = (await scenario.salesforce.calls()).total;
    const brevoCalls = (await brevo.calls()).total;
    const listed = await brevo.listMembers(SYNC_ACCOUNT.brevoAccountId, list.id!);
    if (listed !== naive.upserted - naive.refused) throw new Error(`the naive sync upserted ${naive.upserted - naive.refused} contacts but its list holds ${listed}`);

    // Every record with an e-mail needs its own upsert: scale the sample's time and calls to all of them.
    const scale = naive.upsertable / naive.upserted;
    const extrapolated = naive.upserted < naive.upsertable;
    const naiveMs = naive.readMs + naive.upsertMs * scale;
    const naiveCalls = salesforceCalls + brevoCalls * scale;
    const productCalls = product.salesforceCalls + product.brevoCalls;
    const label = extrapolated ? ` (extrapolated from ${naive.upserted.toLocaleString('en-US')})` : '';
    return {
      figures: [
        figure(`100k Contacts: naive wall time${label}`, seconds(naiveMs), 's'),
        figure(`100k Contacts: naive API calls${label}`, Math.round(naiveCalls), 'calls'),
        figure('time ratio naive / product', ratio(naiveMs, product.wallMs), '×'),
        figure('API call ratio naive / product', ratio(naiveCalls, productCalls), '×'),
      ],
      notes: [
        `naive, measured: read ${naive.read.toLocaleString('en-US')} Contacts in ${seconds(naive.readMs)} s with ${salesforceCalls} Salesforce calls (autoFetch, 2,000 per page); ` +
          `${naive.upserted.toLocaleString('en-US')} upserts of the ${naive.upsertable.toLocaleString('en-US')} with an e-mail in ${seconds(naive.upsertMs)} s (${naive.refused} refused by Brevo), ${brevoCalls.toLocaleString('en-US')} Brevo calls (429s and their retries included)` +
          (extrapolated ? `; the other ${(naive.upsertable - naive.upserted).toLocaleString('en-US')} upserts are extrapolated at the same rate (--naive-sample sets the sample)` : ''),
        `product (#1): ${seconds(product.wallMs)} s, ${productCalls} calls (${product.salesforceCalls} Salesforce + ${product.brevoCalls} Brevo)`,
      ],
    };
  },
};
