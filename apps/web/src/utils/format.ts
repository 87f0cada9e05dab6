/** Locale-aware formatting for the tables (the i18n locale, not the browser's). */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function formatPercent(ratio: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: ratio > 0 && ratio < 0.01 ? 2 : 1 }).format(ratio);
}

/** A calendar date, "1 Dec 2026" / "1 dic 2026" (in UTC: quota months are UTC months). */
export function formatDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** R16: a quota month (`YYYY-MM`, UTC) starts again on the first of the next month. */
export function quotaResetDate(month: string): Date | null {
  const [year, monthNumber] = month.split('-').map(Number);
  return year && monthNumber ? new Date(Date.UTC(year, monthNumber, 1)) : null;
}

/** A time left, in the largest whole unit that says it: "2 minutes", "40 seconds", "1 hour". */
export function formatTimeLeft(ms: number, locale: string): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const [value, unit] = seconds < 90 ? [seconds, 'second'] : seconds < 90 * 60 ? [Math.round(seconds / 60), 'minute'] : [Math.round(seconds / 3600), 'hour'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** `YYYY-MM` → "November 2026" / "novembre 2026". */
export function formatMonth(month: string, locale: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  if (!year || !monthNumber) return month;
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, monthNumber - 1, 1));
}

export function formatDuration(startIso: string, endIso: string | null): string {
  if (!endIso) return '';
  const ms = new Date(endIso).getTime() - new Date(startIso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * A user's text (an integration's or a list's name) set into a sentence inside
 * Unicode isolates (FSI … PDI), so a right-to-left name does not reorder the
 * words around it. Text shown in an element of its own gets `dir="auto"` instead.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
