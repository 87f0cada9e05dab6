import type { RateBudgetStore } from '@contact-sync/store';
import type { SalesforceRequester } from '@contact-sync/salesforce';

/**
 * Salesforce's daily API allowance belongs to the org, over a rolling 24 hours ("Total API Request
 * Allocations", developers' "API Request Limits and Allocations"); every REST answer says where the
 * org stands (`Sforce-Limit-Info: api-usage=used/limit`), which jsforce keeps as `limitInfo`. Past the
 * allowance every call answers REQUEST_LIMIT_EXCEEDED until calls of 24 hours earlier age out.
 *
 * When a run meets the limit, every integration of the org pauses (one shared block, so the other
 * integrations of the org do not each spend a call to learn it) for as long as the org needs to get
 * back a reserve of its allowance at its average rate: calls age out over 24 hours, `limit / 24 h`
 * a second on average, so getting back `reserve + (used - limit)` calls takes that many times
 * `24 h / limit`. The first run after the pause is the probe: its first call succeeds (resumed) or
 * meets the limit again (paused again for what the org's answer then says).
 */
const DAY_MS = 24 * 60 * 60_000;
/** The part of the allowance that must be back before runs resume: 1% (1,000 calls of a 100,000 org). */
export const DAILY_LIMIT_RESERVE = 0.01;
export const MIN_DAILY_LIMIT_PAUSE_MS = 60_000;
export const MAX_DAILY_LIMIT_PAUSE_MS = 60 * 60_000;
/** Too many long requests at once (REQUEST_LIMIT_EXCEEDED, not the daily limit): the org is busy for a moment. */
export const CONCURRENCY_LIMIT_PAUSE_MS = 60_000;

export interface ApiUsage {
  used: number;
  limit: number;
}

/** What the last answer's `Sforce-Limit-Info` said, when the connection keeps it (jsforce's `limitInfo`). */
export function apiUsageOf(salesforce: SalesforceRequester): ApiUsage | null {
  const usage = (salesforce as { limitInfo?: { apiUsage?: { used?: unknown; limit?: unknown } } }).limitInfo?.apiUsage;
  if (!usage || typeof usage.used !== 'number' || typeof usage.limit !== 'number' || usage.limit <= 0) return null;
  return { used: usage.used, limit: usage.limit };
}

/** How long the org's runs wait after meeting its daily limit: until a reserve of the allowance is back (see above). */
export function dailyLimitPauseMs(usage: ApiUsage | null, fallbackMs: number): number {
  if (!usage) return fallbackMs;
  const needed = Math.ceil(usage.limit * DAILY_LIMIT_RESERVE) + Math.max(0, usage.used - usage.limit);
  const ms = Math.ceil((needed * DAY_MS) / usage.limit);
  return Math.min(MAX_DAILY_LIMIT_PAUSE_MS, Math.max(MIN_DAILY_LIMIT_PAUSE_MS, ms));
}

/** The org's pause, shared by every integration on it and every worker. */
export interface SalesforceOrgLimits {
  /** Until when the org's runs wait (null: they may run). */
  pausedUntil(now: Date): Promise<Date | null>;
  pause(until: Date): Promise<void>;
}

export function sharedSalesforceLimits(budgets: RateBudgetStore, orgId: string): SalesforceOrgLimits {
  const key = `salesforce:${orgId}:daily`;
  return {
    async pausedUntil(now) {
      const blockedUntil = (await budgets.get(key))?.blockedUntil ?? 0;
      return blockedUntil > now.getTime() ? new Date(blockedUntil) : null;
    },
    pause: (until) => budgets.block(key, until.getTime()),
  };
}
