import type { Literal } from './ast.ts';

/**
 * Relative date literals (TODAY, LAST_N_DAYS:30, THIS_QUARTER...) as the time
 * ranges Salesforce's "Date Formats and Date Literals in WHERE" page gives
 * them, in the sandbox org's settings: UTC, weeks starting on Sunday (en_US),
 * and the standard fiscal year, which is the calendar year.
 */
export type DateLiteral = Extract<Literal, { kind: 'dateLiteral' }>;
type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

const DAY_MS = 86_400_000;
const NAMED: Record<string, [Unit, number, number]> = { YESTERDAY: ['DAY', -1, 0], TODAY: ['DAY', 0, 1], TOMORROW: ['DAY', 1, 2] };
const THIS_LAST_NEXT = /^(THIS|LAST|NEXT)_(?:FISCAL_)?(WEEK|MONTH|QUARTER|YEAR)$/;
const LAST_NEXT_N = /^(LAST|NEXT)_N_(?:FISCAL_)?(DAY|WEEK|MONTH|QUARTER|YEAR)S$/;
const N_AGO = /^N_(?:FISCAL_)?(DAY|WEEK|MONTH|QUARTER|YEAR)S_AGO$/;

/** The range [from, to) in epoch milliseconds, or undefined for a name the sandbox does not know. */
export function dateLiteralRange(literal: DateLiteral, now: number): { from: number; to: number } | undefined {
  const span = unitSpan(literal);
  if (!span) return undefined;
  const [unit, first, end] = span;
  return { from: unitStart(unit, now, first), to: unitStart(unit, now, end) };
}

/** The unit and the [first, end) offsets from the current unit. */
function unitSpan({ name, n = 0 }: DateLiteral): [Unit, number, number] | undefined {
  if (NAMED[name]) return NAMED[name];
  // LAST_N_DAYS:n (and LAST_90_DAYS) include today; NEXT_N_DAYS:n starts tomorrow.
  if (name === 'LAST_90_DAYS') return ['DAY', -90, 1];
  if (name === 'NEXT_90_DAYS') return ['DAY', 1, 91];
  if (name === 'LAST_N_DAYS') return ['DAY', -n, 1];
  let m = THIS_LAST_NEXT.exec(name);
  if (m) {
    const offset = { THIS: 0, LAST: -1, NEXT: 1 }[m[1] as 'THIS' | 'LAST' | 'NEXT'];
    return [m[2] as Unit, offset, offset + 1];
  }
  m = LAST_NEXT_N.exec(name);
  if (m) return m[1] === 'LAST' ? [m[2] as Unit, -n, 0] : [m[2] as Unit, 1, n + 1];
  m = N_AGO.exec(name);
  if (m) return [m[1] as Unit, -n, -n + 1];
  return undefined;
}

/** Start of the unit `k` units away from the one holding `now` (UTC). */
function unitStart(unit: Unit, now: number, k: number): number {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  switch (unit) {
    case 'DAY':
      return today + k * DAY_MS;
    case 'WEEK':
      return today - date.getUTCDay() * DAY_MS + 7 * k * DAY_MS;
    case 'MONTH':
      return Date.UTC(year, month + k, 1);
    case 'QUARTER':
      return Date.UTC(year, month - (month % 3) + 3 * k, 1);
    case 'YEAR':
      return Date.UTC(year + k, 0, 1);
  }
}
