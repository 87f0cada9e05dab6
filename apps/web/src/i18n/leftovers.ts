import { en as rulesEn, it as rulesIt, listMessageKeys, lookupMessage, type MessageCatalogue } from '@contact-sync/rules';
import { en } from './en.ts';
import { it } from './it.ts';

// The catalogues as create-i18n.ts merges them (without vue-i18n: the browser tests use this too).
const messages = { en: { ...en, ...rulesEn }, it: { ...it, ...rulesIt } };

/**
 * Words of the English UI that must never show in the Italian one: every English message that
 * reads differently in Italian, cut at its placeholders into the stretches of several words a
 * person would recognise (short or single words, "Email", "SMS", a name, can be the same in both).
 */
export function englishOnlyFragments(): string[] {
  const fragments = new Set<string>();
  for (const key of listMessageKeys(messages.en)) {
    const english = lookupMessage(messages.en as unknown as MessageCatalogue, key);
    const italian = lookupMessage(messages.it as unknown as MessageCatalogue, key);
    if (english === undefined || english === italian) continue;
    for (const part of english.split(/\{[^}]*\}/)) {
      const fragment = part.trim();
      if (fragment.length >= 14 && /\s\S+\s/.test(fragment)) fragments.add(fragment);
    }
  }
  return [...fragments];
}

/** The English-only fragments found in `text` (what a page shows in Italian). */
export function findEnglish(text: string, fragments = englishOnlyFragments()): string[] {
  const normalized = text.replace(/\s+/g, ' ');
  return fragments.filter((fragment) => normalized.includes(fragment));
}

/** Short English words Italian never uses: text written in the source instead of the catalogue gives itself away. */
const ENGLISH_WORDS = ['the', 'and', 'with', 'your', 'this', 'that', 'these', 'are', 'is', 'of', 'to', 'for', 'from', 'will', 'has', 'have', 'been', 'was', 'which', 'when', 'than', 'only', 'each', 'every', 'yet', 'not'];
const ENGLISH_WORD = new RegExp(`(?<![\\p{L}@.\\-/])(?:${ENGLISH_WORDS.join('|')})(?![\\p{L}@.\\-/])`, 'giu');

/** English words found in `text` (what a page shows in Italian); emails, URLs and ids do not count. */
export function findEnglishWords(text: string): string[] {
  return [...new Set([...text.matchAll(ENGLISH_WORD)].map((match) => match[0].toLowerCase()))];
}
