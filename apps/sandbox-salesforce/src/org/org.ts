import { ChangeEventBus } from '../streaming/change-events.ts';
import { IdMinter, KEY_PREFIX, orgSequenceStart } from './ids.ts';
import { OBJECTS, SOBJECT_NAMES, type SObjectName } from './metadata.ts';
import { ObjectTable } from './table.ts';

export interface SandboxUser {
  id: string;
  orgId: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  timezone: string;
  locale: string;
  language: string;
}

/**
 * One Salesforce org: its records, clock, id sequences, API budget and
 * Change Data Capture event bus.
 * `apiEnabled: false` models an org (or profile) without "API Enabled":
 * OAuth still works, REST answers API_DISABLED_FOR_ORG.
 */
export class Org {
  readonly tables: Record<SObjectName, ObjectTable>;
  readonly changes = new ChangeEventBus();
  ids: IdMinter;
  apiUsage = 0;
  caseNumber = 1000;
  private lastStamp = 0;
  private earliestStamp: number | undefined;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly apiEnabled: boolean,
    public apiLimit: number,
    /** Where its record sequences start (`orgSequenceStart`): no two orgs share a record Id. */
    private readonly sequenceStart = orgSequenceStart(0),
  ) {
    this.ids = new IdMinter(sequenceStart);
    this.tables = Object.fromEntries(SOBJECT_NAMES.map((n) => [n, new ObjectTable(OBJECTS[n])])) as Record<
      SObjectName,
      ObjectTable
    >;
  }

  /**
   * A fresh SystemModstamp: now, but strictly after the previous write's, so
   * no two writes in the org share a stamp and `(SystemModstamp, Id)`
   * watermarks never skip a row. (Real Salesforce stores whole seconds and
   * does tie; clients still need a tie-breaker, which Id gives them.)
   */
  nextStamp(): number {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    if (this.earliestStamp === undefined) this.earliestStamp = this.lastStamp;
    return this.lastStamp;
  }

  /** Accepts a backdated stamp for seeding; refuses one that would break the strict order. */
  observeStamp(stamp: number): number {
    if (stamp <= this.lastStamp) throw new Error(`stamp ${stamp} is not after the org's last stamp ${this.lastStamp}`);
    if (this.earliestStamp === undefined) this.earliestStamp = stamp;
    this.lastStamp = stamp;
    return stamp;
  }

  /**
   * `count` consecutive stamps for a bulk load. `past`: just before the
   * oldest row in the org (history, so the clock does not run ahead);
   * `now`: right after the newest (new changes; the clock runs ahead by
   * `count` ms, as strictly increasing stamps require).
   */
  reserveStamps(count: number, where: 'past' | 'now'): number {
    if (where === 'now') {
      const first = Math.max(Date.now(), this.lastStamp + 1);
      this.lastStamp = first + count - 1;
      if (this.earliestStamp === undefined) this.earliestStamp = first;
      return first;
    }
    const end = (this.earliestStamp ?? Date.now()) - 1;
    const first = end - count + 1;
    this.earliestStamp = first;
    this.lastStamp = Math.max(this.lastStamp, end);
    return first;
  }

  clear(): void {
    for (const name of SOBJECT_NAMES) this.tables[name].clear();
    this.ids = new IdMinter(this.sequenceStart);
    this.apiUsage = 0;
    this.caseNumber = 1000;
    this.lastStamp = 0;
    this.earliestStamp = undefined;
  }

  nextCaseNumber(): string {
    this.caseNumber += 1;
    return String(this.caseNumber).padStart(8, '0');
  }
}

export const USER_PREFIX = KEY_PREFIX.User;
