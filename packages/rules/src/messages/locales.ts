import { en } from './en.ts';
import { it } from './it.ts';

/** Both catalogues keyed by locale, ready for `createI18n({ messages })`. */
export const ruleMessages = { en, it } as const;
export type RuleLocale = keyof typeof ruleMessages;
