/**
 * A number from either side: numbers as they are, numeric strings (Brevo
 * webhooks and CSV-fed Salesforce values may be strings) parsed strictly.
 * `null` when it is not a finite number.
 */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}
