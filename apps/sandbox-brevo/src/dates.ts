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

function wallClock(ms: number): { date: string; time: string; offsetMinutes: number } {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  const time = `${p.hour}:${p.minute}:${p.second}`;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offsetMinutes = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  return { date, time, offsetMinutes };
}

/** `2024-01-15T10:27:59.727+01:00` */
export function formatBrevoDateTime(ms: number): string {
  const { date, time, offsetMinutes } = wallClock(ms);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${date}T${time}.${String(ms % 1000).padStart(3, '0')}${offset}`;
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
