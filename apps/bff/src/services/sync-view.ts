import type { PreviewDto, RecordErrorDto, RunDto } from '@contact-sync/api';
import { CODE_INFO, isRuleCode } from '@contact-sync/rules';
import { emptyCounts, type RecordErrorDoc, type RunDoc } from '@contact-sync/store';
import type { PreviewResult } from '@contact-sync/sync';

/** Sync-store documents as the API shows them. */
export function toRunDto(run: RunDoc): RunDto {
  // Runs recorded before a count existed have none of it.
  const { skippedUnchanged, ...counts } = { ...emptyCounts(), ...run.counts };
  return {
    id: run._id,
    direction: run.direction,
    initialLoad: run.initialLoad,
    trigger: run.trigger ?? 'schedule',
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.endedAt ? run.endedAt.toISOString() : null,
    counts: { ...counts, skipped: skippedUnchanged },
    operations: run.operationsCharged,
    progress: run.progress,
    outcome: run.outcome ?? null,
  };
}

/**
 * `instanceUrl`: the org's, for the link to the record (`https://<instance>/<Id>` opens it in
 * Salesforce, Lightning or Classic).
 */
export function toRecordErrorDto(error: RecordErrorDoc & { _id: unknown }, instanceUrl: string | null): RecordErrorDto {
  return {
    id: String(error._id),
    runId: error.runId,
    direction: error.direction,
    object: error.object,
    salesforceId: error.salesforceId,
    brevoId: error.brevoId,
    field: error.field,
    code: error.code,
    rule: error.rule,
    messageKey: error.messageKey,
    params: error.params,
    severity: error.severity,
    fixHintKey: error.fixHintKey,
    retryable: error.retryable,
    occurredAt: error.at.toISOString(),
    contact: error.contact ?? null,
    salesforceUrl: instanceUrl && error.salesforceId ? `${instanceUrl.replace(/\/+$/, '')}/${encodeURIComponent(error.salesforceId)}` : null,
  };
}

/**
 * The engine's dry run as the wizard shows it. Each rejection reason carries
 * the message of the first sampled record with that code (its parameters are
 * that record's), else the rule's message without parameters.
 */
export function toPreviewDto(result: PreviewResult, quota: PreviewDto['quota'], samples: number): PreviewDto {
  const sampled = result.samples.rejected.flatMap((sample) => sample.issues ?? []);
  const rejected = Object.entries(result.rejectedByReason)
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([code, count]) => {
      const issue = sampled.find((candidate) => candidate.code === code);
      if (issue) return { code, messageKey: issue.messageKey, params: { ...issue.params }, count };
      return { code, messageKey: isRuleCode(code) ? CODE_INFO[code].messageKey : 'rules.input.invalid', params: {}, count };
    });
  const sample = (s: PreviewResult['samples']['create'][number]) => ({
    salesforceId: s.salesforceId,
    ...(s.values ? { values: { ...s.values, attributes: { ...s.values.attributes } } } : {}),
    ...(s.issues ? { issues: s.issues.map((issue) => ({ ...issue, params: { ...issue.params } })) } : {}),
  });
  const { counts } = result;
  return {
    read: counts.read,
    toCreate: counts.created,
    toUpdate: counts.updated,
    toDelete: counts.deleted,
    unchanged: counts.skippedUnchanged,
    noEmailOrSms: counts.noEmailOrSms,
    toLeave: counts.leftList,
    notMatching: counts.notMatching,
    rejectedRecords: counts.rejected,
    rejected,
    samples: {
      create: result.samples.create.slice(0, samples).map(sample),
      update: result.samples.update.slice(0, samples).map(sample),
      rejected: result.samples.rejected.slice(0, samples).map(sample),
    },
    operations: result.operations,
    quotaShare: quota.limit > 0 ? result.operations / quota.limit : 1,
    exceedsQuota: result.operations > Math.max(0, quota.limit - quota.used),
    quota,
  };
}
