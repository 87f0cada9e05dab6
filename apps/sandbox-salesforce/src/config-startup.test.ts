// Relative: the sandboxes do not depend on the testing package (no database).
import { itRefusesBadConfiguration } from '@contact-sync/testing';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

// The Salesforce sandbox started for real (src/main.ts) with one bad variable at a time.
const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('Salesforce sandbox start-up configuration', () => {
  itRefusesBadConfiguration(appDir, {}, [
    { variable: 'SALESFORCE_SANDBOX_PORT', value: 'port-4010x' },
    { variable: 'SALESFORCE_SANDBOX_PUBLIC_URL', value: 'sandbox.example.test:4010' },
    { variable: 'SALESFORCE_SANDBOX_TOKEN_TTL_SECONDS', value: 'forever-and-ever' },
    { variable: 'SALESFORCE_SANDBOX_DAILY_API_LIMIT', value: '-15000' },
  ]);
});
