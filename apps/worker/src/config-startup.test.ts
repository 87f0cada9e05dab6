import { DEV_ENCRYPTION_KEYS } from '@contact-sync/secrets';
import { itRefusesBadConfiguration } from '@contact-sync/testing';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

// The worker started for real (src/main.ts) with one bad variable at a time:
// it must stop before touching the database.
const appDir = fileURLToPath(new URL('..', import.meta.url));
const base = { MONGODB_URI: 'mongodb://127.0.0.1:9/never_reached', LOG_LEVEL: 'warn' };
const production = {
  NODE_ENV: 'production',
  SALESFORCE_CLIENT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: `prod1:${randomBytes(32).toString('base64')}`,
  ENCRYPTION_KEY_ID: 'prod1',
};

describe('worker start-up configuration', () => {
  itRefusesBadConfiguration(appDir, base, [
    { variable: 'MONGODB_URI', value: undefined },
    { variable: 'MONGODB_URI', value: 'postgres://admin:Pa55-mongo-secret@db/contacts' },
    { variable: 'SYNC_INTERVAL_SECONDS', value: '14' },
    { variable: 'SYNC_STREAMING', value: 'sometimes' },
    { variable: 'SYNC_SAFETY_NET_SECONDS', value: '30' },
    { variable: 'WORKER_CONCURRENCY', value: 'all-of-them' },
    { variable: 'WORKER_LOAD_SLOTS', value: '0' },
    { variable: 'WORKER_LOAD_SLOTS', value: '37', with: { WORKER_CONCURRENCY: '5' } },
    { variable: 'BFF_PUBLIC_URL', value: 'bff.example.test:4000' },
    { variable: 'BREVO_API_URL', value: 'api.brevo.test/v3' },
    { variable: 'SALESFORCE_LOGIN_URL', value: 'ftp://login.salesforce.test' },
    { variable: 'SALESFORCE_REDIRECT_URI', value: 'callback-relative' },
    { variable: 'ENCRYPTION_KEYS', value: 'k1:c2hvcnQ=' },
    { variable: 'ENCRYPTION_KEY_ID', value: 'not-a-listed-key' },
    { variable: 'NOTICE_SENDER_EMAIL', value: 'no-reply-at-contact-sync' },
    { variable: 'LOG_LEVEL', value: 'chatty' },
    { variable: 'WORKER_METRICS_PORT', value: '70000' },
    { variable: 'METRICS_TOKEN', value: 'too-short-for-a-token' },
    { variable: 'METRICS_TOKEN', value: 'metrics'.repeat(6), with: production },
    // Secrets checked by their value in production (issue 12); the other cases are in config.test.ts.
    { variable: 'ENCRYPTION_KEYS', value: `prod1:${DEV_ENCRYPTION_KEYS.split(':')[1]}`, with: production },
    { variable: 'ENCRYPTION_KEYS', value: `${DEV_ENCRYPTION_KEYS},`, with: { ...production, ENCRYPTION_KEY_ID: 'dev1' } },
    { variable: 'SALESFORCE_CLIENT_SECRET', value: 'sandbox-client-secret', with: production },
    { variable: 'NODE_ENV', value: 'staging-env' },
  ]);
});
