import { ConfigError } from '@contact-sync/config';
import { DEV_ENCRYPTION_KEYS } from '@contact-sync/secrets';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEV_ADMIN_SECRET, DEV_HOST_JWT_SECRET, loadBffConfig, oauthCallbackUrl } from './config.ts';

const problems = (env: Record<string, string>) => {
  try {
    loadBffConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable).sort();
  }
  throw new Error('expected a ConfigError');
};

describe('BFF configuration', () => {
  it('has the documented defaults', () => {
    const config = loadBffConfig({ MONGODB_URI: 'mongodb://127.0.0.1:27027/contact_sync' });
    expect(config).toMatchObject({
      BFF_PORT: 4000,
      BFF_PUBLIC_URL: 'http://localhost:4000',
      HOST_JWT_SECRET: DEV_HOST_JWT_SECRET,
      HOST_JWT_ISSUER: 'brevo-host-demo',
      HOST_JWT_AUDIENCE: 'contact-sync-bff',
      ALLOWED_HOST_ORIGINS: ['http://localhost:5170'],
      WEB_ORIGINS: ['http://localhost:5180'],
      SALESFORCE_LOGIN_URL: 'http://localhost:4010',
      SALESFORCE_CLIENT_ID: 'sandbox-client-id',
      SALESFORCE_API_VERSION: '62.0',
      BREVO_API_URL: 'http://localhost:4020/v3',
      DEMO_SEED: true,
      LOG_LEVEL: 'info',
    });
    expect(config.BREVO_API_KEY).toBeUndefined();
    expect(oauthCallbackUrl(config)).toBe('http://localhost:4000/api/v1/oauth/salesforce/callback');
  });

  it('names every missing or malformed variable', () => {
    expect(
      problems({
        BFF_PORT: 'http',
        BFF_PUBLIC_URL: 'localhost',
        HOST_JWT_SECRET: 'short',
        ENCRYPTION_KEYS: 'k1:dG9vLXNob3J0',
        SALESFORCE_API_VERSION: 'v62',
        LOG_LEVEL: 'loud',
      }),
    ).toEqual(['BFF_PORT', 'BFF_PUBLIC_URL', 'ENCRYPTION_KEYS', 'HOST_JWT_SECRET', 'LOG_LEVEL', 'MONGODB_URI', 'SALESFORCE_API_VERSION']);
  });

  it('requires the current key id to be one of the keys', () => {
    expect(problems({ MONGODB_URI: 'mongodb://h/db', ENCRYPTION_KEY_ID: 'missing' })).toEqual(['ENCRYPTION_KEY_ID']);
  });

  it('refuses the public development secrets and the demo seed in production', () => {
    expect(problems({ MONGODB_URI: 'mongodb://h/db', NODE_ENV: 'production' })).toEqual([
      'ADMIN_SECRET',
      'DEMO_SEED',
      'ENCRYPTION_KEYS',
      'HOST_JWT_SECRET',
      'SALESFORCE_CLIENT_SECRET',
    ]);
    const config = loadBffConfig(PRODUCTION);
    expect(config.ADMIN_SECRET).not.toBe(DEV_ADMIN_SECRET);
  });

  // Issue 12: secrets were checked by exact string, so a published key under another id, a stray comma or 32 × "a" passed.
  it.each([
    ['the development key bytes under another key id', { ENCRYPTION_KEYS: `prod:${DEV_KEY_BYTES}`, ENCRYPTION_KEY_ID: 'prod' }, 'ENCRYPTION_KEYS'],
    ['the development key with a trailing comma', { ENCRYPTION_KEYS: `${DEV_ENCRYPTION_KEYS},`, ENCRYPTION_KEY_ID: 'dev1' }, 'ENCRYPTION_KEYS'],
    ['a key of one repeated byte', { ENCRYPTION_KEYS: `prod1:${Buffer.alloc(32, 7).toString('base64')}` }, 'ENCRYPTION_KEYS'],
    ['a JWT secret of 32 × a', { HOST_JWT_SECRET: 'a'.repeat(32) }, 'HOST_JWT_SECRET'],
    ['a JWT secret that is the development one with a suffix', { HOST_JWT_SECRET: `${DEV_HOST_JWT_SECRET}-prod` }, 'HOST_JWT_SECRET'],
    ['an admin secret that is the published JWT secret', { ADMIN_SECRET: DEV_HOST_JWT_SECRET }, 'ADMIN_SECRET'],
    ['an admin secret of a repeated word', { ADMIN_SECRET: 'password1234'.repeat(3) }, 'ADMIN_SECRET'],
    ['the sandbox connected app secret', { SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret' }, 'SALESFORCE_CLIENT_SECRET'],
    ['a metrics token too easy to guess', { METRICS_TOKEN: 'm'.repeat(40) }, 'METRICS_TOKEN'],
    ['a shared Brevo key for every account', { BREVO_API_KEY: 'xkeysib-shared-by-every-tenant-0123456789' }, 'BREVO_API_KEY'],
  ])('refuses in production %s, naming it', (_case, change, variable) => {
    expect(problems({ ...PRODUCTION, ...change })).toEqual([variable]);
  });

  it('reads TRUST_PROXY as Express does, without `true`', () => {
    const base = { MONGODB_URI: 'mongodb://h/db' };
    expect(loadBffConfig(base).TRUST_PROXY).toBe(false);
    expect(loadBffConfig({ ...base, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadBffConfig({ ...base, TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', '::1']);
    expect(problems({ ...base, TRUST_PROXY: 'true' })).toEqual(['TRUST_PROXY']);
    expect(problems({ ...base, TRUST_PROXY: '10.0.0.0/40' })).toEqual(['TRUST_PROXY']);
    expect(problems({ ...base, TRUST_PROXY: 'proxy.internal' })).toEqual(['TRUST_PROXY']);
  });

  it('listens on loopback unless told otherwise', () => {
    expect(loadBffConfig({ MONGODB_URI: 'mongodb://h/db' }).BFF_HOST).toBe('localhost');
  });
});

const DEV_KEY_BYTES = DEV_ENCRYPTION_KEYS.split(':')[1]!;
/** A production configuration that passes; each case above changes one variable. */
const PRODUCTION = {
  MONGODB_URI: 'mongodb://h/db',
  NODE_ENV: 'production',
  HOST_JWT_SECRET: randomBytes(36).toString('base64'),
  ADMIN_SECRET: randomBytes(36).toString('base64'),
  SALESFORCE_CLIENT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: `prod1:${randomBytes(32).toString('base64')}`,
  ENCRYPTION_KEY_ID: 'prod1',
  DEMO_SEED: 'false',
};
