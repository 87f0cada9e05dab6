import type { StoredRecord } from '../org/fields.ts';
import type { ObjectTable } from '../org/table.ts';
import type { CompiledQuery } from './compile.ts';

export interface QueryResult {
  rows: StoredRecord[];
  totalSize: number;
}

/**
 * Runs a compiled query against a table. When the order is the table's
 * SystemModstamp index order, it scans the index from the WHERE's lower bound
 * and stops once LIMIT (+OFFSET) rows matched — no sort, no full scan. Other
 * orders filter everything and sort, as a database without an index would.
 */
export function executeQuery(query: CompiledQuery, table: ObjectTable, includeDeleted: boolean): QueryResult {
  const wanted = query.limit === undefined ? Infinity : query.offset + query.limit;
  const rows: StoredRecord[] = [];
  if (query.ids) {
    // Key lookups (`Id IN (...)`), then the same filter and order as any other query.
    const seen = new Set<string>();
    for (const id of query.ids) {
      const row = table.get(id);
      if (!row || seen.has(row.Id)) continue;
      seen.add(row.Id);
      if (row.IsDeleted && !includeDeleted) continue;
      if (query.matches(row)) rows.push(row);
    }
    rows.sort(query.compare ?? ((a, b) => a.SystemModstamp - b.SystemModstamp));
  } else if (!query.compare) {
    for (const row of table.scanFrom(query.modstampFrom)) {
      if (row.IsDeleted && !includeDeleted) continue;
      if (!query.matches(row)) continue;
      rows.push(row);
      if (rows.length >= wanted) break;
    }
  } else {
    for (const row of table.values()) {
      if (row.IsDeleted && !includeDeleted) continue;
      if (query.matches(row)) rows.push(row);
    }
    rows.sort(query.compare);
  }
  const page = rows.slice(query.offset, wanted === Infinity ? undefined : wanted);
  return { rows: page, totalSize: page.length };
}
