import { en } from './messages/en.ts';

const FIX_KEYS = new Set(Object.keys(en.rules.fix));

/**
 * The catalogue key of what the user can do about a record error with this
 * code (`rules.fix.<code>`), or the general hint for codes without one of its
 * own. The API stores and returns the key; the microfrontend translates it.
 */
export function fixHintKey(code: string): string {
  return FIX_KEYS.has(code) ? `rules.fix.${code}` : 'rules.fix.default';
}
