import { streamQuery, watermarkQuery, type SalesforceRequester } from '@contact-sync/salesforce';
import { indexFieldsByName, MONTHLY_OPERATION_QUOTA, type CountryCode, type RuleIssue } from '@contact-sync/rules';
import type { BrevoValues, SyncStore } from '@contact-sync/store';
import { salesforceCaller, type CallPolicy } from './classify.ts';
import { describeFieldsLoader } from './describe-fields.ts';
import { objectOf, type FieldsLoader, type IntegrationSnapshot } from './integration.ts';
import { operationsOf, planPage, type SalesforceRow } from './plan.ts';

export interface PreviewSample {
  salesforceId: string;
  values?: BrevoValues;
  issues?: RuleIssue[];
}

export interface PreviewResult {
  read: number;
  wouldCreate: number;
  wouldUpdate: number;
  unchanged: number;
  rejected: number;
  /** Rejected records by rule code (e.g. `phone_digits_out_of_range`, `duplicate`). */
  rejectedByReason: Record<string, number>;
  samples: { create: PreviewSample[]; update: PreviewSample[]; rejected: PreviewSample[] };
  /** Operations the first sync would charge (R16) and the share of the monthly quota they are. */
  operations: number;
  quotaLimit: number;
  quotaShare: number;
  exceedsQuota: boolean;
}

export interface PreviewDeps {
  salesforce: SalesforceRequester;
  /** When given, existing links make records updates (or unchanged) instead of creates; never written. */
  store?: SyncStore;
  loadFields?: FieldsLoader;
  sampleSize?: number;
  pageSize?: number;
  policy?: CallPolicy;
  quotaLimit?: number;
}

/**
 * SPEC §2 step 7: what the first sync would do, without writing anything
 * anywhere. Streams the same query as the sync, page by page, through the same
 * planner (so the same rules decide), and counts.
 */
export async function previewIntegration(integration: IntegrationSnapshot, deps: PreviewDeps): Promise<PreviewResult> {
  const sampleSize = deps.sampleSize ?? 5;
  const callSalesforce = salesforceCaller(deps.policy);
  const object = objectOf(integration);
  const fields = await (deps.loadFields ?? describeFieldsLoader(deps.salesforce, callSalesforce))(object);
  const fieldsByName = indexFieldsByName(fields);
  const quotaLimit = deps.quotaLimit ?? (deps.store ? await deps.store.quota.limitOf(integration.id) : MONTHLY_OPERATION_QUOTA);
  const result: PreviewResult = {
    read: 0,
    wouldCreate: 0,
    wouldUpdate: 0,
    unchanged: 0,
    rejected: 0,
    rejectedByReason: {},
    samples: { create: [], update: [], rejected: [] },
    operations: 0,
    quotaLimit,
    quotaShare: 0,
    exceedsQuota: false,
  };
  const soql = watermarkQuery(object, Object.values(integration.mapping), null);
  for await (const page of streamQuery<SalesforceRow>(deps.salesforce, soql, { batchSize: deps.pageSize ?? 2000, call: callSalesforce })) {
    const links = deps.store ? await deps.store.links.findBySalesforceIds(integration.id, page.records.map((row) => row.Id)) : new Map();
    const planned = planPage(page.records, links, {
      mapping: integration.mapping,
      fieldsByName,
      ...(integration.smsDefaultCountry ? { defaultCountry: integration.smsDefaultCountry as CountryCode } : {}),
    });
    for (const row of planned) {
      result.read += 1;
      result.operations += operationsOf(row);
      if (row.kind === 'create') {
        result.wouldCreate += 1;
        if (result.samples.create.length < sampleSize) result.samples.create.push({ salesforceId: row.write.salesforceId, values: row.write.values });
      } else if (row.kind === 'update') {
        result.wouldUpdate += 1;
        if (result.samples.update.length < sampleSize) result.samples.update.push({ salesforceId: row.write.salesforceId, values: row.write.values });
      } else if (row.kind === 'rejected') {
        result.rejected += 1;
        for (const issue of row.issues) result.rejectedByReason[issue.code] = (result.rejectedByReason[issue.code] ?? 0) + 1;
        if (result.samples.rejected.length < sampleSize) result.samples.rejected.push({ salesforceId: row.salesforceId, issues: row.issues });
      } else result.unchanged += 1;
    }
  }
  result.quotaShare = quotaLimit > 0 ? result.operations / quotaLimit : 1;
  result.exceedsQuota = result.operations > quotaLimit;
  return result;
}
