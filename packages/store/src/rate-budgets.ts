import { isDuplicateKeyError } from './duplicate-key.ts';
import type { Db } from './sync-db.ts';

/**
 * Rate budgets that belong to an API account, not to a process: every worker
 * takes from the same document, so two integrations of one Brevo account on
 * two workers together stay under the account's limit.
 *
 * A budget is a fixed window (`windowMs`, aligned on the epoch, as Brevo's
 * windows are) holding at most `limit` calls, plus a block: when the API says
 * the window is used up (`x-sib-ratelimit-remaining: 0`, or a 429), every
 * worker waits for its reset. Each step is one single-document conditional
 * update (MongoDB's first promise, kept by tools/devdb): taking is
 * "count < limit in the current window, not blocked: +1", or "an older window,
 * not blocked: this window, count 1"; one concurrent taker inserts a missing
 * document (unique `_id`). A call costs one database command when the window
 * has room.
 *
 * Workers on different machines share the windows through their clocks: a
 * skew between them (or with the API) is what the block is for.
 */
export interface RateBudgetDoc {
  _id: string;
  /** Start of the current window (ms since the epoch). */
  windowStart: number;
  count: number;
  /** Nobody calls before this (ms since the epoch): the API said the window was used up. */
  blockedUntil: number;
}

export const RATE_BUDGETS = 'sync_rate_budgets';

export class RateBudgetStore {
  /**
   * The window of this process's last take from each budget. When it is the current one, the budget's document most
   * likely holds it too, and the take tries "in this window" first; otherwise (a budget taken from now and then, as
   * an account's incremental runs take it) the document most likely holds an older window, and the take tries "a new
   * window" first. Either way a take that finds room costs one update: trying them in a fixed order cost two for the
   * first take of every window. (Only the order depends on it: each update is conditional on the document.)
   */
  private readonly lastWindows = new RecentWindows();

  constructor(private readonly db: Db) {}

  private get budgets() {
    return this.db.collection<RateBudgetDoc>(RATE_BUDGETS);
  }

  /**
   * Takes one call from the budget: 0 when taken, else how many milliseconds
   * to wait before asking again (the window's end, or the block's).
   */
  async take(key: string, limit: number, windowMs: number, now: number): Promise<number> {
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const open = { blockedUntil: { $lte: now } };
    const inWindow = () => this.budgets.updateOne({ _id: key, windowStart, count: { $lt: limit }, ...open }, { $inc: { count: 1 } });
    const newWindow = () => this.budgets.updateOne({ _id: key, windowStart: { $lt: windowStart }, ...open }, { $set: { windowStart, count: 1 } });
    const [first, second] = this.lastWindows.isCurrent(key, windowStart) ? [inWindow, newWindow] : [newWindow, inWindow];
    if ((await first()).matchedCount === 1 || (await second()).matchedCount === 1) {
      this.lastWindows.took(key, windowStart, windowMs, now);
      return 0;
    }
    const doc = await this.budgets.findOne({ _id: key });
    if (!doc) {
      try {
        await this.budgets.insertOne({ _id: key, windowStart, count: 1, blockedUntil: 0 });
        this.lastWindows.took(key, windowStart, windowMs, now);
        return 0;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return this.take(key, limit, windowMs, now); // another taker inserted it first: it exists now
      }
    }
    // A worker whose clock runs ahead began a later window: this one waits for it.
    if (doc.windowStart > windowStart) return Math.max(1, doc.windowStart - now, doc.blockedUntil - now);
    const blocked = doc.blockedUntil > now;
    const full = doc.windowStart === windowStart && doc.count >= limit;
    // Changed between the updates and this read (inserted, or a window begun by another taker): ask again.
    if (!blocked && !full) return this.take(key, limit, windowMs, now);
    return Math.max(1, doc.blockedUntil - now, full ? doc.windowStart + windowMs - now : 0);
  }

  /** Nobody takes from the budget before `until` (ms since the epoch); a later block already set stays. */
  async block(key: string, until: number): Promise<void> {
    await this.budgets.updateOne({ _id: key }, { $max: { blockedUntil: until }, $setOnInsert: { windowStart: 0, count: 0 } }, { upsert: true });
  }

  async get(key: string): Promise<RateBudgetDoc | null> {
    return this.budgets.findOne({ _id: key });
  }
}

/**
 * The window of a process's last take from each budget, for as long as it lasts: a window that has passed says nothing
 * of the next take (it is not the current one whatever happened since), so it is forgotten. The memory then holds the
 * budgets taken from within the last window (the longest window, when they differ), not every budget the process ever
 * took from: a worker's fleet of accounts comes and goes over its life.
 */
export class RecentWindows {
  /** Window start and end by budget key, the least recently taken first (a take moves its key to the end). */
  private readonly windows = new Map<string, { start: number; end: number }>();

  /** Whether the process's last take from the budget was in the window starting at `windowStart`. */
  isCurrent(key: string, windowStart: number): boolean {
    return this.windows.get(key)?.start === windowStart;
  }

  took(key: string, windowStart: number, windowMs: number, now: number): void {
    this.windows.delete(key);
    this.windows.set(key, { start: windowStart, end: windowStart + windowMs });
    // The least recently taken first: their windows end first (with equal windows), so the passed ones lead.
    for (const [oldKey, window] of this.windows) {
      if (window.end > now) break;
      this.windows.delete(oldKey);
    }
  }

  /** How many budgets' windows are remembered. */
  get size(): number {
    return this.windows.size;
  }
}
