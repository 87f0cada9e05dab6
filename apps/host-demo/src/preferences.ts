import { LOCALES, MODES, type DemoAccount, type EmbedMode, type Locale } from './accounts.ts';

/** The demo's "session": which account and user is logged in, the language and the embedding mode, in cookies. */
export interface Preferences {
  account: DemoAccount;
  locale: Locale;
  mode: EmbedMode;
}

export const COOKIE = { account: 'hd_account', locale: 'hd_locale', mode: 'hd_mode' } as const;

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      // ignore a malformed cookie
    }
  }
  return cookies;
}

export function readPreferences(cookieHeader: string | undefined, accounts: DemoAccount[]): Preferences {
  const cookies = parseCookies(cookieHeader);
  const account = accounts.find((candidate) => candidate.id === cookies[COOKIE.account]) ?? accounts[0]!;
  const locale = (LOCALES as readonly string[]).includes(cookies[COOKIE.locale] ?? '') ? (cookies[COOKIE.locale] as Locale) : 'en';
  const mode = (MODES as readonly string[]).includes(cookies[COOKIE.mode] ?? '') ? (cookies[COOKIE.mode] as EmbedMode) : 'module';
  return { account, locale, mode };
}

/** Only our own paths: a switch never redirects elsewhere. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(value) ? value : '/integrations';
}
