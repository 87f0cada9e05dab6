import { useTestDatabase } from '@contact-sync/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEST_JWT_SECRET, useTestBff } from '../test-support.ts';

const db = useTestDatabase('bff_auth');
const bff = useTestBff(db);

const now = () => Math.floor(Date.now() / 1000);
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const claims = { accountId: 'acc_demo', plan: 'BrevoPlus', email: 'owner@acme.test', locale: 'en' };

function base(overrides: { iss?: string; aud?: string; iat?: number; nbf?: number; exp?: number; sub?: string } = {}) {
  const t = now();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(overrides.sub ?? 'user_1')
    .setIssuer(overrides.iss ?? bff.config.HOST_JWT_ISSUER)
    .setAudience(overrides.aud ?? bff.config.HOST_JWT_AUDIENCE)
    .setIssuedAt(overrides.iat ?? t)
    .setNotBefore(overrides.nbf ?? t)
    .setExpirationTime(overrides.exp ?? t + 120);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function status(token: string | null, scheme = 'Bearer') {
  const req = request(bff.app).get('/api/v1/integrations');
  if (token !== null) req.set('authorization', `${scheme} ${token}`);
  const response = await req;
  if (response.status === 401) expect(response.body).toEqual({ error: { code: 'unauthorized', message: 'Authentication required.' } });
  return response.status;
}

describe('host token verification', () => {
  it('accepts a valid token, and one just expired within the 30 s clock tolerance', async () => {
    expect(await status(await base().sign(secret))).toBe(200);
    const t = now();
    expect(await status(await base({ iat: t - 100, nbf: t - 100, exp: t - 10 }).sign(secret))).toBe(200);
  });

  it.each([
    ['missing', async () => null],
    ['expired', async () => base({ iat: now() - 200, nbf: now() - 200, exp: now() - 60 }).sign(secret)],
    ['not yet valid', async () => base({ nbf: now() + 120, exp: now() + 240 }).sign(secret)],
    ['issued over 5 minutes ago', async () => base({ iat: now() - 400, nbf: now() - 400, exp: now() + 60 }).sign(secret)],
    ['forged (other secret)', async () => base().sign(new TextEncoder().encode('another-secret-that-is-32-chars-long!!'))],
    ['tampered payload', async () => {
      const [header, , signature] = (await base().sign(secret)).split('.');
      return `${header}.${b64({ ...claims, accountId: 'acc_other', sub: 'user_1', iss: bff.config.HOST_JWT_ISSUER, aud: bff.config.HOST_JWT_AUDIENCE, exp: now() + 60, iat: now() })}.${signature}`;
    }],
    ['wrong audience', async () => base({ aud: 'someone-else' }).sign(secret)],
    ['wrong issuer', async () => base({ iss: 'evil-host' }).sign(secret)],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'user_1', iss: bff.config.HOST_JWT_ISSUER, aud: bff.config.HOST_JWT_AUDIENCE, exp: now() + 60, iat: now() })}.`],
    ['RS256 (algorithm confusion)', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setSubject('user_1').setIssuer(bff.config.HOST_JWT_ISSUER).setAudience(bff.config.HOST_JWT_AUDIENCE).setIssuedAt().setExpirationTime('2m').sign(privateKey);
    }],
    ['HS256 signed with the public key as secret', async () => {
      const { publicKey } = await generateKeyPair('RS256');
      const jwk = await exportJWK(publicKey);
      return base().sign(new TextEncoder().encode(JSON.stringify(jwk)));
    }],
    ['HS512', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).setSubject('user_1').setIssuer(bff.config.HOST_JWT_ISSUER).setAudience(bff.config.HOST_JWT_AUDIENCE).setIssuedAt().setExpirationTime('2m').sign(new TextEncoder().encode(TEST_JWT_SECRET.repeat(2)))],
    ['no subject', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(bff.config.HOST_JWT_ISSUER).setAudience(bff.config.HOST_JWT_AUDIENCE).setIssuedAt().setExpirationTime('2m').sign(secret)],
    ['malformed account id', async () => new SignJWT({ ...claims, accountId: '{"$ne":null}' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer(bff.config.HOST_JWT_ISSUER).setAudience(bff.config.HOST_JWT_AUDIENCE).setIssuedAt().setExpirationTime('2m').sign(secret)],
    ['garbage', async () => 'not.a.jwt'],
  ])('refuses a %s token with 401', async (_name, make) => {
    expect(await status(await make())).toBe(401);
  });

  it('refuses other schemes', async () => {
    expect(await status(await base().sign(secret), 'Basic')).toBe(401);
  });

  it('logs why a token was refused, but never the token', async () => {
    const token = await base({ aud: 'someone-else' }).sign(secret);
    await status(token);
    const logs = bff.logs.join('');
    expect(logs).toContain('host token refused');
    expect(logs).not.toContain(token);
  });
});

describe('a token verified once (remembered by this process)', () => {
  afterEach(() => vi.useRealTimers());
  const at = (seconds: number) => vi.setSystemTime(seconds * 1000);

  it('is refused once expired, like a token seen for the first time', async () => {
    const t = now();
    vi.useFakeTimers({ toFake: ['Date'] });
    at(t);
    const token = await base({ iat: t, nbf: t, exp: t + 60 }).sign(secret);
    expect(await status(token)).toBe(200);
    at(t + 60 + 29);
    expect(await status(token)).toBe(200); // within the 30 s tolerance
    at(t + 60 + 31);
    expect(await status(token)).toBe(401);
  });

  it('is refused once more than 5 minutes old, whatever its exp', async () => {
    const t = now();
    vi.useFakeTimers({ toFake: ['Date'] });
    at(t);
    const token = await base({ iat: t, nbf: t, exp: t + 3_600 }).sign(secret);
    expect(await status(token)).toBe(200);
    at(t + 300 + 29);
    expect(await status(token)).toBe(200);
    at(t + 300 + 31);
    expect(await status(token)).toBe(401);
  });
});
