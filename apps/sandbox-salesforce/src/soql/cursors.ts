import type { StoredRecord } from '../org/fields.ts';
import { makeId } from '../org/ids.ts';
import type { CompiledQuery } from './compile.ts';

/**
 * Server-side query cursors behind `nextRecordsUrl`. The locator looks like
 * Salesforce's (`01g...-2000`: cursor id, dash, offset of the next row).
 * Cursors live 15 minutes after their last use, as Salesforce's do.
 */
export interface Cursor {
  id: string;
  query: CompiledQuery;
  rows: StoredRecord[];
  batchSize: number;
  scanAll: boolean;
  userId: string;
  touchedAt: number;
}

const IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 500;

export class CursorStore {
  private cursors = new Map<string, Cursor>();
  private sequence = 1;

  open(init: Omit<Cursor, 'id' | 'touchedAt'>): Cursor {
    this.expire();
    const cursor: Cursor = { ...init, id: makeId('01g', this.sequence++), touchedAt: Date.now() };
    this.cursors.set(cursor.id, cursor);
    if (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
    return cursor;
  }

  /** The cursor and offset a locator names, if still open and owned by the user. */
  resolve(locator: string, userId: string): { cursor: Cursor; offset: number } | undefined {
    const m = /^([a-zA-Z0-9]{18})-(\d+)$/.exec(locator);
    if (!m) return undefined;
    const cursor = this.cursors.get(m[1]!);
    if (!cursor || cursor.userId !== userId || Date.now() - cursor.touchedAt > IDLE_MS) return undefined;
    const offset = Number(m[2]);
    if (offset >= cursor.rows.length) return undefined;
    cursor.touchedAt = Date.now();
    return { cursor, offset };
  }

  close(id: string): void {
    this.cursors.delete(id);
  }

  clear(): void {
    this.cursors.clear();
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, cursor] of this.cursors) if (now - cursor.touchedAt > IDLE_MS) this.cursors.delete(id);
  }
}
