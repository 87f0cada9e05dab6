import { DEV_ENCRYPTION_KEYS } from '@contact-sync/secrets';
import { itRefusesBadConfiguration } from '@contact-sync/testing';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { DEV_ADMIN_SECRET, DEV_HOST_JWT_SECRET } from './config.ts';

// The BFF started for real (src/main.ts) with one bad variable at a time: it
// must stop before touching the database, name the variable, and never print
// the value (secrets among them).
const appDir = fileURLToPath(new URL('..', import.meta.url));
const base = { MONGODB_URI: 'mongodb://127.0.0.1:9/never_reached', LOG_LEVEL: 'warn' };
const production = {
  NODE_ENV: 'production',
  DEMO_SEED: 'false',
  HOST_JWT_SECRET: 'prod-host-jwt-secret-0123456789abcdef-xyz',
  ADMIN_SECRET: 'prod-admin-secret-0123456789abcdef-xyz',
  SALESFORCE_CLIENT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: `prod1:${randomBytes(32).toString('base64')}`,
  ENCRYPTION_KEY_ID: 'prod1',
};
const devKeyUnderAnotherId = `prod1:${DEV_ENCRYPTION_KEYS.split(':')[1]}`;

describe('BFF start-up configuration', () => {
  itRefusesBadConfiguration(appDir, base, [
    { variable: 'MONGODB_URI', value: undefined },
    { variable: 'MONGODB_URI', value: 'postgres://admin:Pa55-mongo-secret@db/contacts' },
    { variable: 'BFF_PORT', value: 'port-4000x' },
    { variable: 'BFF_PUBLIC_URL', value: 'bff.example.test:4000' },
    { variable: 'HOST_JWT_SECRET', value: 'short-jwt-secret-42' },
    { variable: 'HOST_JWT_SECRET', value: undefined, with: { ...production, HOST_JWT_SECRET: '' }, secret: DEV_HOST_JWT_SECRET },
    { variable: 'ADMIN_SECRET', value: 'short-admin-secret-42' },
    { variable: 'ADMIN_SECRET', value: undefined, with: { ...production, ADMIN_SECRET: '' }, secret: DEV_ADMIN_SECRET },
    { variable: 'ENCRYPTION_KEYS', value: 'k1:c2hvcnQta2V5LXNlY3JldA==' },
    { variable: 'ENCRYPTION_KEY_ID', value: 'key-that-is-not-listed' },
    { variable: 'SALESFORCE_LOGIN_URL', value: 'ftp://login.salesforce.test' },
    { variable: 'SALESFORCE_API_VERSION', value: 'v62-latest' },
    { variable: 'BREVO_API_URL', value: 'api.brevo.test/v3' },
    { variable: 'BREVO_API_KEY', value: 'xkeysib secret with spaces' },
    { variable: 'DEMO_BREVO_API_KEY', value: 'xkeysib-démo-secret' },
    { variable: 'DEMO_SEED', value: 'true', with: production, secret: 'prod-host-jwt-secret-0123456789abcdef-xyz' },
    // Secrets checked by their value in production (issue 12); the other cases are in config.test.ts.
    { variable: 'ENCRYPTION_KEYS', value: devKeyUnderAnotherId, with: production },
    { variable: 'HOST_JWT_SECRET', value: 'a'.repeat(32), with: production },
    { variable: 'BREVO_API_KEY', value: 'xkeysib-shared-by-every-tenant-0123456789', with: production },
    { variable: 'DEMO_NOTIFICATION_EMAIL', value: 'marketing-at-acme' },
    { variable: 'RATE_LIMIT_PER_MINUTE', value: 'unlimited' },
    { variable: 'ADDRESS_RATE_LIMIT_PER_MINUTE', value: 'no-limit-at-all' },
    { variable: 'BODY_LIMIT', value: '100 megabytes' },
    { variable: 'LOG_LEVEL', value: 'chatty' },
    { variable: 'NODE_ENV', value: 'staging-env' },
  ]);
});
