import { ConfigError } from '@contact-sync/config';
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
    expect(problems({ MONGODB_URI: 'mongodb://h/db', NODE_ENV: 'production' })).toEqual(['ADMIN_SECRET', 'DEMO_SEED', 'ENCRYPTION_KEYS', 'HOST_JWT_SECRET']);
    const config = loadBffConfig({
      MONGODB_URI: 'mongodb://h/db',
      NODE_ENV: 'production',
      HOST_JWT_SECRET: 'p'.repeat(40),
      ADMIN_SECRET: 'a'.repeat(40),
      ENCRYPTION_KEYS: `prod1:${Buffer.alloc(32, 7).toString('base64')}`,
      ENCRYPTION_KEY_ID: 'prod1',
      DEMO_SEED: 'false',
    });
    expect(config.ADMIN_SECRET).not.toBe(DEV_ADMIN_SECRET);
  });
});
