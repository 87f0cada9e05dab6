import { describe, expect, it } from 'vitest';
import { dateLiteralRange } from './date-literals.ts';

// Wednesday 2026-08-12 15:30 UTC: in Q3, in the week that starts on Sunday 2026-08-09.
const now = Date.UTC(2026, 7, 12, 15, 30);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('dateLiteralRange', () => {
  const cases: [string, number | undefined, string, string][] = [
    ['TODAY', undefined, '2026-08-12', '2026-08-13'],
    ['YESTERDAY', undefined, '2026-08-11', '2026-08-12'],
    ['TOMORROW', undefined, '2026-08-13', '2026-08-14'],
    ['THIS_WEEK', undefined, '2026-08-09', '2026-08-16'],
    ['LAST_WEEK', undefined, '2026-08-02', '2026-08-09'],
    ['NEXT_MONTH', undefined, '2026-09-01', '2026-10-01'],
    ['THIS_QUARTER', undefined, '2026-07-01', '2026-10-01'],
    ['LAST_QUARTER', undefined, '2026-04-01', '2026-07-01'],
    ['THIS_YEAR', undefined, '2026-01-01', '2027-01-01'],
    ['LAST_FISCAL_YEAR', undefined, '2025-01-01', '2026-01-01'],
    // "LAST_N_DAYS:1 includes yesterday and today"; LAST_90_DAYS is 91 days.
    ['LAST_N_DAYS', 1, '2026-08-11', '2026-08-13'],
    ['LAST_90_DAYS', undefined, '2026-05-14', '2026-08-13'],
    ['NEXT_N_DAYS', 3, '2026-08-13', '2026-08-16'],
    ['N_DAYS_AGO', 2, '2026-08-10', '2026-08-11'],
    ['LAST_N_MONTHS', 2, '2026-06-01', '2026-08-01'],
    ['NEXT_N_WEEKS', 1, '2026-08-16', '2026-08-23'],
    ['N_QUARTERS_AGO', 1, '2026-04-01', '2026-07-01'],
    ['LAST_N_FISCAL_YEARS', 2, '2024-01-01', '2026-01-01'],
  ];
  it.each(cases)('%s:%s is [%s, %s)', (name, n, from, to) => {
    const literal = { kind: 'dateLiteral' as const, name, pos: 0, ...(n === undefined ? {} : { n }) };
    expect(dateLiteralRange(literal, now)).toEqual({ from: day(from), to: day(to) });
  });

  it('knows no other names', () => {
    expect(dateLiteralRange({ kind: 'dateLiteral', name: 'SOMEDAY', pos: 0 }, now)).toBeUndefined();
  });
});
