import type { FieldDef } from './fields.ts';

/** Salesforce's REST datetime form: millisecond precision, `+0000` offset. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().startsWith(value);
}

/** ISO 8601 date-times as Salesforce accepts them in JSON (`Z`, `+0000`, `+01:00`, optional millis). */
const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseDateTime(value: string): number | undefined {
  const m = DATETIME_RE.exec(value);
  if (!m || !isCalendarDate(m[1]!)) return undefined;
  const [, date, hh, mm, ss = '00', frac = '0', zone = 'Z'] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const parsed = Date.parse(`${date}T${hh}:${mm}:${ss}.${String(millis).padStart(3, '0')}${offset}`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A stored value as the REST API renders it. */
export function renderValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}
