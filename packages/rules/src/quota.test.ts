import { describe, expect, it } from 'vitest';
import { hasQuotaLeft, MONTHLY_OPERATION_QUOTA, planQuota, quotaExceededIssue, quotaMonth, WARNING_RATIO } from './quota.ts';

describe('planQuota (R16)', () => {
  it('uses the SPEC numbers', () => {
    expect(MONTHLY_OPERATION_QUOTA).toBe(100_000);
    expect(WARNING_RATIO).toBe(0.8);
  });

  // One operation at a time, reaching `used + 1` total operations.
  it.each([
    [79_998, { allowed: 1, crossesWarning: false, limitReached: false, exceeded: false }], // 79 999th
    [79_999, { allowed: 1, crossesWarning: true, limitReached: false, exceeded: false }], // 80 000th
    [80_000, { allowed: 1, crossesWarning: false, limitReached: false, exceeded: false }], // warned once only
    [99_999, { allowed: 1, crossesWarning: false, limitReached: true, exceeded: false }], // 100 000th is made
    [100_000, { allowed: 0, crossesWarning: false, limitReached: true, exceeded: true }], // 100 001st is not
  ])('with %i used, one more operation → %j', (used, expected) => {
    expect(planQuota({ used, requested: 1 })).toMatchObject(expected);
  });

  it.each([
    [0, 79_999, 79_999, false, false],
    [0, 80_000, 80_000, true, false],
    [0, 100_000, 100_000, true, false],
    [0, 100_001, 100_000, true, true],
    [79_000, 30_000, 21_000, true, true],
    [85_000, 0, 0, false, false],
  ])('used %i, requested %i → allowed %i, warn %s, exceeded %s', (used, requested, allowed, crossesWarning, exceeded) => {
    expect(planQuota({ used, requested })).toMatchObject({ allowed, crossesWarning, exceeded, usedAfter: used + allowed });
  });

  it('honours a quota raised by support', () => {
    expect(planQuota({ used: 100_000, requested: 10, limit: 150_000 })).toMatchObject({ allowed: 10, exceeded: false });
    expect(planQuota({ used: 110_000, requested: 10, limit: 150_000 }).crossesWarning).toBe(false);
    expect(planQuota({ used: 119_999, requested: 1, limit: 150_000 }).crossesWarning).toBe(true);
  });

  it('re-activation needs quota left', () => {
    expect(hasQuotaLeft(99_999)).toBe(true);
    expect(hasQuotaLeft(100_000)).toBe(false);
    expect(hasQuotaLeft(100_000, 200_000)).toBe(true);
  });

  it('describes the exceeded state', () => {
    expect(quotaExceededIssue()).toMatchObject({ code: 'quota_exceeded', rule: 'R16', params: { limit: 100_000 } });
  });
});

describe('quotaMonth (R16)', () => {
  it.each([
    ['2026-11-30T23:59:59.999Z', '2026-11'],
    ['2026-12-01T00:00:00.000Z', '2026-12'],
    // Still November in New York, already December in UTC.
    ['2026-11-30T20:30:00-05:00', '2026-12'],
    ['2027-01-01T00:30:00+01:00', '2026-12'],
  ])('%s → %s', (instant, month) => {
    expect(quotaMonth(new Date(instant))).toBe(month);
  });
});
