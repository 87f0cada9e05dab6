import { en as rulesEn, it as rulesIt } from '@contact-sync/rules';
import { createI18n } from 'vue-i18n';
import { en } from './en.ts';
import { it } from './it.ts';

export const SUPPORTED_LOCALES = ['en', 'it'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** `it-IT` → `it`; anything we do not translate falls back to English. */
export function resolveLocale(locale: string | null | undefined): SupportedLocale {
  const language = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language ?? '') ? (language as SupportedLocale) : 'en';
}

/** The UI catalogues with the rules package's messages merged in (`rules.*` keys). */
export const messages = {
  en: { ...en, ...rulesEn },
  it: { ...it, ...rulesIt },
};

/**
 * One i18n instance per mount (Composition API only, no globals). `onMissing` (tests): told of
 * every key the locale lacks, and nothing falls back to English, so a gap cannot hide.
 */
export function createAppI18n(locale: string, options: { onMissing?: (locale: string, key: string) => void } = {}) {
  const { onMissing } = options;
  return createI18n({
    legacy: false,
    locale: resolveLocale(locale),
    fallbackLocale: onMissing ? false : 'en',
    messages,
    missingWarn: false,
    fallbackWarn: false,
    ...(onMissing ? { missing: (missingLocale: string, key: string) => void onMissing(missingLocale, key) } : {}),
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
