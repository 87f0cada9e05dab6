import Papa from 'papaparse';

/**
 * RFC 4180 CSV (papaparse); cells starting with = + - @ (or a tab or carriage return) are
 * prefixed with `'` so spreadsheets do not run them as formulas.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `${Papa.unparse(rows.map((row) => row.map((cell) => cell ?? '')), { escapeFormulae: true, newline: '\r\n' })}\r\n`;
}
