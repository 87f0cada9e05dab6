import type { StoredRecord } from './fields.ts';
import type { ObjectDef } from './metadata.ts';

/**
 * One sObject's rows, plus an index in SystemModstamp order. Every write takes
 * a fresh, strictly increasing org stamp, so an updated row is simply appended
 * again; its old entry goes stale (the stamp no longer matches) and is skipped
 * and, once stale entries pile up, compacted. This keeps the sync's watermark
 * query (`SystemModstamp > X ... ORDER BY SystemModstamp, Id LIMIT n`) a binary
 * search plus a short scan, even with a million rows.
 */
export class ObjectTable {
  private readonly byId = new Map<string, StoredRecord>();
  private stamps: number[] = [];
  private rows: StoredRecord[] = [];
  private stale = 0;

  constructor(readonly def: ObjectDef) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): StoredRecord | undefined {
    return this.byId.get(id);
  }

  /** Adds a new row; its SystemModstamp must be the newest in the org. */
  insert(record: StoredRecord): void {
    this.byId.set(record.Id, record);
    this.append(record);
  }

  /** Call after a write has given `record` a new SystemModstamp. */
  touched(record: StoredRecord): void {
    this.stale += 1;
    this.append(record);
    if (this.stale > 1024 && this.stale > this.rows.length / 2) this.compact();
  }

  /** Bulk load of rows in stamp order, all newer (`append`) or all older (`prepend`) than the table's rows. */
  loadSorted(records: StoredRecord[], where: 'append' | 'prepend'): void {
    for (const record of records) this.byId.set(record.Id, record);
    const stamps = records.map((r) => r.SystemModstamp);
    if (where === 'append') {
      for (let i = 0; i < records.length; i += 1) {
        this.stamps.push(stamps[i]!);
        this.rows.push(records[i]!);
      }
    } else {
      this.stamps = stamps.concat(this.stamps);
      this.rows = records.concat(this.rows);
    }
  }

  /** Rows (deleted included) in SystemModstamp order, starting at the first with stamp ≥ `from`. */
  *scanFrom(from = -Infinity): Generator<StoredRecord> {
    const stamps = this.stamps;
    const rows = this.rows;
    for (let i = this.lowerBound(from); i < rows.length; i += 1) {
      const row = rows[i]!;
      if (row.SystemModstamp === stamps[i]) yield row;
    }
  }

  /** Rows (deleted included), newest SystemModstamp first: the records UI's "recently modified" list. */
  *scanNewestFirst(): Generator<StoredRecord> {
    for (let i = this.rows.length - 1; i >= 0; i -= 1) {
      const row = this.rows[i]!;
      if (row.SystemModstamp === this.stamps[i]) yield row;
    }
  }

  /** Rows (deleted included) in no particular order. */
  values(): IterableIterator<StoredRecord> {
    return this.byId.values();
  }

  clear(): void {
    this.byId.clear();
    this.stamps = [];
    this.rows = [];
    this.stale = 0;
  }

  private append(record: StoredRecord): void {
    this.stamps.push(record.SystemModstamp);
    this.rows.push(record);
  }

  private lowerBound(stamp: number): number {
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.stamps[mid]! < stamp) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    const stamps: number[] = [];
    const rows: StoredRecord[] = [];
    for (let i = 0; i < this.rows.length; i += 1) {
      const row = this.rows[i]!;
      if (row.SystemModstamp === this.stamps[i]) {
        stamps.push(this.stamps[i]!);
        rows.push(row);
      }
    }
    this.stamps = stamps;
    this.rows = rows;
    this.stale = 0;
  }
}
