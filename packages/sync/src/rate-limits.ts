import type { BrevoRateLimit } from '@contact-sync/brevo';
import type { RateBudgetStore } from '@contact-sync/store';

/**
 * Brevo's rate limits belong to the account (its API key), not to a process
 * (developers.brevo.com/docs/api-limits): `/contacts/*` takes 10 calls a
 * second on every plan ("general"), 20 on Professional and Enterprise; other
 * endpoints are counted per hour. Every Brevo call of the sync goes through
 * one of these, named by the caller's label (`brevo.<group>.<operation>`).
 */
export interface BrevoRateLimits {
  /** Waits until the account may make this call; throws `RateBudgetWaitError` rather than wait past `maxWaitMs`. */
  beforeCall(label: string, maxWaitMs: number): Promise<void>;
  /** What a response's `x-sib-ratelimit-*` headers said (a 429's too): a used-up window holds every caller until its reset. */
  afterCall(label: string, rateLimit: BrevoRateLimit): Promise<void>;
}

/** `/contacts/*` calls a second per Brevo account on every plan (the "general" limits). */
export const BREVO_CONTACTS_PER_SECOND = 10;

/**
 * Of the account's `/contacts/*` calls a second, those the sync takes: a fifth (at least one) is left to the
 * dashboard's own requests (the wizard's attributes and lists, the preview), which a person waits for and which
 * count against the same account. Taking all of them, a few initial loads kept a marketer's mapping step answering
 * "a connected service is busy": 2 of 10 are left, 4 of 20.
 */
export function syncShareOfContactsLimit(perSecond: number): number {
  return Math.max(1, perSecond - Math.max(1, Math.round(perSecond / 5)));
}

/** The account's budget is used up for longer than a run should hold a worker: the run stops and the integration waits. */
export class RateBudgetWaitError extends Error {
  readonly code = 'rate_budget_wait';

  constructor(
    readonly label: string,
    readonly retryAfterMs: number,
  ) {
    super(`${label}: the account's rate limit allows the next call in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'RateBudgetWaitError';
  }
}

/** `contacts` for `brevo.contacts.batch`: Brevo's limits are per group of endpoints. */
function groupOf(label: string): string {
  return label.split('.')[1] ?? label;
}

/** Whether the headers say the window is used up, and until when (ms since the epoch). */
function usedUpUntil(rateLimit: BrevoRateLimit, now: number): number | null {
  if (rateLimit.remaining !== 0 || rateLimit.resetSeconds === undefined) return null;
  return now + rateLimit.resetSeconds * 1000;
}

/**
 * The account's limits kept in the database (`RateBudgetStore`), where every
 * worker sees them: the contacts endpoints' calls a second are counted there
 * (the sync's share of them, `syncShareOfContactsLimit`),
 * and a used-up window (headers or a 429) holds every worker until its reset.
 */
export function sharedBrevoLimits(
  budgets: RateBudgetStore,
  accountId: string,
  options: { contactsPerSecond?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): BrevoRateLimits {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const perSecond = syncShareOfContactsLimit(options.contactsPerSecond ?? BREVO_CONTACTS_PER_SECOND);
  const keyOf = (label: string) => `brevo:${accountId}:${groupOf(label)}`;
  return {
    async beforeCall(label, maxWaitMs) {
      const key = keyOf(label);
      const giveUpAt = now() + maxWaitMs;
      for (;;) {
        // Only the contacts endpoints are counted per second; the others (per hour) wait only for a used-up window.
        const wait = groupOf(label) === 'contacts' ? await takeInWindow(budgets, key, perSecond, now()) : await blockedFor(budgets, key, now());
        if (wait === 0) return;
        if (now() + wait > giveUpAt) throw new RateBudgetWaitError(label, wait);
        await sleep(wait);
      }
    },
    async afterCall(label, rateLimit) {
      const until = usedUpUntil(rateLimit, now());
      if (until !== null) await budgets.block(keyOf(label), until);
    },
  };
}

/**
 * A call taken at the very end of a window reaches Brevo in the next one, where it would be one too
 * many: calls are taken up to this long before a window ends (a call to Brevo takes 40–80 ms).
 */
export const WINDOW_END_GUARD_MS = 100;

async function takeInWindow(budgets: RateBudgetStore, key: string, perSecond: number, now: number): Promise<number> {
  const left = 1000 - (now % 1000);
  if (left <= WINDOW_END_GUARD_MS) return left;
  return budgets.take(key, perSecond, 1000, now);
}

async function blockedFor(budgets: RateBudgetStore, key: string, now: number): Promise<number> {
  const blockedUntil = (await budgets.get(key))?.blockedUntil ?? 0;
  return Math.max(0, blockedUntil - now);
}

/** One caller's own pacing (tests, previews): a used-up window makes its next call wait for the reset. */
export function localBrevoLimits(options: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {}): BrevoRateLimits {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let notBefore = 0;
  return {
    async beforeCall(label, maxWaitMs) {
      const wait = notBefore - now();
      if (wait <= 0) return;
      if (wait > maxWaitMs) throw new RateBudgetWaitError(label, wait);
      await sleep(wait);
    },
    async afterCall(_label, rateLimit) {
      const until = usedUpUntil(rateLimit, now());
      if (until !== null) notBefore = Math.max(notBefore, until);
    },
  };
}
