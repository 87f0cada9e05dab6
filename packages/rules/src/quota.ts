import { RuleCode } from './codes.ts';
import { createIssue, type RuleIssue } from './issue.ts';

/** R16: operations per integration per calendar month (UTC), unless support raised it. */
export const MONTHLY_OPERATION_QUOTA = 100_000;
/** R16: share of the quota at which the account is warned (once a month). */
export const WARNING_RATIO = 0.8;

export interface QuotaPlan {
  /** How many of the requested operations may be made now. */
  readonly allowed: number;
  /** Usage after those operations. */
  readonly usedAfter: number;
  /** This step takes usage to or past 80%: send the warning email (first crossing of the month). */
  readonly crossesWarning: boolean;
  /** Usage equals the limit after this step. */
  readonly limitReached: boolean;
  /** Some requested operations were refused: disable the integration (`disabled_quota`), send the second email. */
  readonly exceeded: boolean;
}

export function warningThreshold(limit: number): number {
  return Math.ceil(limit * WARNING_RATIO);
}

/**
 * R16: how many of `requested` operations fit in the month's quota. An
 * operation is one record written to either side (create, update, delete,
 * list link/unlink); writes that change nothing must not be requested. The
 * operation that would exceed the limit is not made: `exceeded` tells the
 * caller to stop and disable, leaving the rest pending.
 */
export function planQuota({ used, requested, limit = MONTHLY_OPERATION_QUOTA }: {
  used: number;
  requested: number;
  limit?: number;
}): QuotaPlan {
  const allowed = Math.max(0, Math.min(requested, limit - used));
  const usedAfter = used + allowed;
  const threshold = warningThreshold(limit);
  return {
    allowed,
    usedAfter,
    crossesWarning: used < threshold && usedAfter >= threshold,
    limitReached: usedAfter >= limit,
    exceeded: allowed < requested,
  };
}

/** R16: a `disabled_quota` integration may be re-activated only with quota left (new month or raised quota). */
export function hasQuotaLeft(used: number, limit = MONTHLY_OPERATION_QUOTA): boolean {
  return used < limit;
}

/** R16: the quota month of an instant, `YYYY-MM` in UTC. */
export function quotaMonth(date: Date): string {
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The issue behind the 80% email and the quota meter. */
export function quotaWarningIssue(used: number, limit = MONTHLY_OPERATION_QUOTA): RuleIssue {
  return createIssue(RuleCode.QuotaWarning, undefined, { used, limit });
}

/** The issue behind `disabled_quota` and the second email. */
export function quotaExceededIssue(limit = MONTHLY_OPERATION_QUOTA): RuleIssue {
  return createIssue(RuleCode.QuotaExceeded, undefined, { limit });
}
