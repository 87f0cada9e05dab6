/**
 * R7: the one date format exchanged with both sides, `YYYY-MM-DD`, a real
 * calendar date. Years are limited to Salesforce's range (1700–4000) so a
 * typo such as `0199-01-01` is caught here rather than failing the record
 * in Salesforce.
 */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1700;
const MAX_YEAR = 4000;

// Salesforce writes `2024-03-10T23:30:00.000+0000`; ISO 8601 allows `Z` and `+00:00` too.
const DATETIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** R7: the date when `value` is exactly a valid `YYYY-MM-DD`, else `null` (no trimming, no other forms). */
export function parseBrevoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = DATE_PATTERN.exec(value);
  if (!match) return null;
  return isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3])) ? value : null;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatUtcDate(instant: Date): string {
  return `${pad(instant.getUTCFullYear(), 4)}-${pad(instant.getUTCMonth() + 1, 2)}-${pad(instant.getUTCDate(), 2)}`;
}

/** Parses a Salesforce/ISO 8601 datetime with explicit offset; `null` if it is not one. */
export function parseSalesforceDatetime(value: string): Date | null {
  const match = DATETIME_PATTERN.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = Number(s ?? 0);
  if (!isCalendarDate(year, month, day) || hours > 23 || minutes > 59 || seconds > 59) return null;
  const millis = Math.floor(Number(`0.${fraction ?? '0'}`) * 1000);
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== undefined) {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const utc = Date.UTC(year, month - 1, day, hours, minutes, seconds, millis) - offsetMinutes * 60_000;
  return new Date(utc);
}

/**
 * R5/R7: a Salesforce `date` (`YYYY-MM-DD`) or `datetime` value as a Brevo
 * date. A datetime becomes its UTC date part. `null` when not a valid date.
 */
export function toBrevoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : formatUtcDate(value);
  if (typeof value !== 'string') return null;
  const date = parseBrevoDate(value);
  if (date !== null) return date;
  const instant = parseSalesforceDatetime(value);
  if (!instant) return null;
  const utcDate = formatUtcDate(instant);
  return parseBrevoDate(utcDate);
}

/** R7: a Brevo date written to a Salesforce `datetime` field: midnight UTC of that day. */
export function toSalesforceDatetime(brevoDate: string): string {
  return `${brevoDate}T00:00:00.000Z`;
}
