import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { demoAccounts } from './accounts.ts';
import { mintHostToken, TOKEN_TTL_SECONDS } from './tokens.ts';

const settings = { secret: 'dev-only-host-jwt-secret-change-me-32chars', issuer: 'brevo-host-demo', audience: 'contact-sync-bff' };
const key = new TextEncoder().encode(settings.secret);

describe('mintHostToken', () => {
  it('mints an HS256 JWT the BFF can verify, with account, plan, locale and email', async () => {
    const [demo] = demoAccounts('xkeysib-sandbox-demo');
    const { token, expiresAt } = await mintHostToken(demo!, 'it', settings);
    const { payload } = await jwtVerify(token, key, { issuer: settings.issuer, audience: settings.audience, algorithms: ['HS256'] });
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'usr_demo', accountId: 'acc_demo', plan: 'BrevoPlus', locale: 'it', email: 'marketer@acme.test' });
    expect(payload.exp! - payload.iat!).toBe(TOKEN_TTL_SECONDS);
    expect(TOKEN_TTL_SECONDS).toBeLessThanOrEqual(300);
    expect(expiresAt).toBe(payload.exp);
  });

  it('is refused once expired or with another secret', async () => {
    const [, free] = demoAccounts('k');
    const past = Math.floor(Date.now() / 1000) - 600;
    const { token } = await mintHostToken(free!, 'en', settings, past);
    await expect(jwtVerify(token, key, { issuer: settings.issuer, audience: settings.audience })).rejects.toThrow(/exp/);
    const { token: fresh } = await mintHostToken(free!, 'en', settings);
    await expect(jwtVerify(fresh, new TextEncoder().encode('another-secret-another-secret-xx'))).rejects.toThrow();
  });
});
