// Relative: the sandboxes do not depend on the testing package (no database).
import { itRefusesBadConfiguration } from '@contact-sync/testing';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

// The Brevo sandbox started for real (src/main.ts) with one bad variable at a time.
const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('Brevo sandbox start-up configuration', () => {
  itRefusesBadConfiguration(appDir, {}, [
    { variable: 'BREVO_SANDBOX_PORT', value: 'port-4020x' },
    { variable: 'BREVO_SANDBOX_PUBLIC_URL', value: 'sandbox.example.test:4020' },
    { variable: 'BREVO_SANDBOX_RATE_LIMITS', value: 'sometimes' },
    { variable: 'BREVO_SANDBOX_RATE_LIMIT_TIER', value: 'platinum-tier' },
    { variable: 'BREVO_SANDBOX_WEBHOOK_RETRY_SECONDS', value: 'soon,later' },
    { variable: 'BREVO_SANDBOX_SEED_CONTACTS', value: 'many-contacts' },
  ]);
});
