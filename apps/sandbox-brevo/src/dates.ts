/**
 * Brevo writes contact timestamps in its own time zone (Paris) with
 * milliseconds and an explicit offset, e.g. `2024-01-15T10:27:59.727+01:00`
 * (the SDK calls them "UTC date-time (YYYY-MM-DDTHH:mm:ss.SSSZ)"; the offset
 * form is what the API really returns and what Date.parse reads correctly).
 * Webhook `date` fields are "CET/CEST" wall-clock `YYYY-MM-DD HH:mm:ss`
 * (developers.brevo.com/docs/marketing-webhooks, "Datetime parameters").
 */
const BREVO_TIME_ZONE = 'Europe/Paris';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: BREVO_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallClock {
  date: string;
  time: string;
  /** Paris's offset from UTC in ms: whole seconds (Paris mean time, until 1911, was +0:09:21). */
  offsetMs: number;
}

/** The wall clock in Paris at `ms`, read through Intl. */
function wallClockByIntl(ms: number): WallClock {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}`, offsetMs: asUtc - Math.floor(ms / 1000) * 1000 };
}

const HOUR_MS = 3_600_000;
const OFFSET_CACHE_HOURS = 10_000;
/**
 * Paris's offset by UTC hour (`null`: the offset changed within that hour).
 * Intl's formatToParts was most of the cost of every timestamp the sandbox
 * writes, and Paris changes offset on a UTC hour (summer time starts and ends
 * at 01:00 UTC), so one read an hour does. Bounded: cleared when full.
 */
const offsetByHour = new Map<number, number | null>();

function offsetMsOfHour(ms: number): number | null {
  const hour = Math.floor(ms / HOUR_MS);
  let offsetMs = offsetByHour.get(hour);
  if (offsetMs === undefined) {
    const start = wallClockByIntl(hour * HOUR_MS).offsetMs;
    // The end of Paris mean time (1911) fell within an hour.
    offsetMs = start === wallClockByIntl(hour * HOUR_MS + HOUR_MS - 1).offsetMs ? start : null;
    if (offsetByHour.size >= OFFSET_CACHE_HOURS) offsetByHour.clear();
    offsetByHour.set(hour, offsetMs);
  }
  return offsetMs;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function wallClock(ms: number): WallClock {
  const offsetMs = offsetMsOfHour(ms);
  if (offsetMs === null) return wallClockByIntl(ms);
  const local = new Date(ms + offsetMs);
  const year = local.getUTCFullYear();
  // Intl writes years before 1000 unpadded and BC ones its own way.
  if (year < 1000 || year > 9999) return wallClockByIntl(ms);
  const date = `${year}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}`;
  const time = `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}`;
  return { date, time, offsetMs };
}

/** `2024-01-15T10:27:59.727+01:00` */
export function formatBrevoDateTime(ms: number): string {
  const { date, time, offsetMs } = wallClock(ms);
  const offsetMinutes = Math.round(offsetMs / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const millis = ((ms % 1000) + 1000) % 1000; // of the second: before 1970 too
  return `${date}T${time}.${String(millis).padStart(3, '0')}${offset}`;
}

/** `2024-01-15 10:27:59` in Paris time, as webhook `date` fields carry it. */
export function formatWebhookDate(ms: number): string {
  const { date, time } = wallClock(ms);
  return `${date} ${time}`;
}

/**
 * Parses a `modifiedSince` / `createdSince` query value. Brevo documents
 * `YYYY-MM-DDTHH:mm:ss.SSSZ` and advises sending the offset; a value Date
 * cannot read is refused.
 */
export function parseDateTimeParam(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
