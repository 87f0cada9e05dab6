import { en } from '../i18n/en.ts';

const HINTED = new Set(Object.keys(en.hints));

/** The "how to fix" text of a record error's rule code (a generic hint for the others). */
export function hintKeyFor(code: string): string {
  return HINTED.has(code) && code !== 'default' ? `hints.${code}` : 'hints.default';
}
