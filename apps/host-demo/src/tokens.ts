import { SignJWT } from 'jose';
import type { DemoAccount } from './accounts.ts';

/** SPEC §5: at most 5 minutes. */
export const TOKEN_TTL_SECONDS = 300;

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
}

/**
 * What a real host backend does for its logged-in user: a short-lived HS256
 * JWT for the BFF, with the account, plan, locale and email as claims.
 */
export async function mintHostToken(
  account: DemoAccount,
  locale: string,
  settings: TokenSettings,
  now = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = now + TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ accountId: account.id, plan: account.plan, locale, email: account.user.email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(account.user.id)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(settings.secret));
  return { token, expiresAt };
}
