import { describe, expect, it } from 'vitest';
import { formatBrevoDateTime, formatWebhookDate } from './dates.ts';

/** Paris wall clock as the runtime's own tz data writes it (`sv-SE` writes `YYYY-MM-DD HH:mm:ss`). */
const parisWallClock = (ms: number) => new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Paris' });

/** Instants every `stepMs` from `fromMs` for `spanMs`, in an order that goes back and forth between hours. */
function sweep(fromMs: number, spanMs: number, stepMs: number): number[] {
  const instants: number[] = [];
  for (let at = fromMs; at < fromMs + spanMs; at += stepMs) instants.push(at);
  return instants.flatMap((at, i) => (i % 2 === 0 ? [at] : [at, fromMs + spanMs - (at - fromMs)]));
}

describe('Brevo dates in Paris time', () => {
  it('writes the instants around both summer-time changes with the offset in force', () => {
    expect(formatBrevoDateTime(Date.UTC(2024, 2, 31, 0, 59, 59, 999))).toBe('2024-03-31T01:59:59.999+01:00');
    expect(formatBrevoDateTime(Date.UTC(2024, 2, 31, 1, 0, 0, 0))).toBe('2024-03-31T03:00:00.000+02:00');
    expect(formatBrevoDateTime(Date.UTC(2024, 9, 27, 0, 59, 59, 500))).toBe('2024-10-27T02:59:59.500+02:00');
    expect(formatBrevoDateTime(Date.UTC(2024, 9, 27, 1, 0, 0, 7))).toBe('2024-10-27T02:00:00.007+01:00');
    expect(formatWebhookDate(Date.UTC(2026, 11, 5, 20, 41, 3, 999))).toBe('2026-12-05 21:41:03');
  });

  it('matches the tz data at every instant of a sweep across summer-time changes, and reads back to the same instant', () => {
    const instants = [
      ...sweep(Date.UTC(2024, 2, 30, 22), 30 * 3_600_000, 433_457),
      ...sweep(Date.UTC(2024, 9, 26, 22), 30 * 3_600_000, 433_457),
      ...sweep(Date.UTC(1969, 11, 31, 22), 4 * 3_600_000, 61_001),
    ];
    for (const ms of instants) {
      expect(formatWebhookDate(ms), String(ms)).toBe(parisWallClock(ms));
      expect(Date.parse(formatBrevoDateTime(ms)), String(ms)).toBe(ms);
    }
  });

  it('writes the wall clock of Paris mean time (+0:09:21) and of its end within an hour in 1911', () => {
    for (const ms of sweep(Date.UTC(1911, 2, 10, 22), 4 * 3_600_000, 61_001)) {
      expect(formatWebhookDate(ms), String(ms)).toBe(parisWallClock(ms));
    }
  });
});
