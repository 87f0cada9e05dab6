import { en, lookupMessage } from '@contact-sync/rules';
import type { RecordError } from '../api/types.ts';

const GENERAL_HINT = 'rules.fix.default';

/**
 * The catalogue key of a record error's "how to fix" text, as the API gives
 * it (the rules package's `fixHintKey`); the general hint for a key this
 * build does not know (an error stored by a newer or older worker).
 */
export function hintKeyOf(error: Pick<RecordError, 'fixHintKey'>): string {
  const key = error.fixHintKey;
  return key.startsWith('rules.fix.') && lookupMessage(en, key) !== undefined ? key : GENERAL_HINT;
}
