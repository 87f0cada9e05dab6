// Relative: only the start-up helper (the host demo uses no test database).
import { itRefusesBadConfiguration } from '@contact-sync/testing';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

// The host demo started for real (src/main.ts) with one bad variable at a time.
const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('host demo start-up configuration', () => {
  itRefusesBadConfiguration(appDir, {}, [
    { variable: 'HOST_DEMO_PORT', value: 'port-5170x' },
    { variable: 'HOST_JWT_SECRET', value: 'short-jwt-secret-42' },
    { variable: 'WEB_PUBLIC_URL', value: 'web.example.test:5180' },
    { variable: 'WEB_MODULE_PATH', value: 'src/mount-relative.ts' },
    { variable: 'WEB_IFRAME_PATH', value: 'iframe-relative.html' },
    { variable: 'BFF_PUBLIC_URL', value: 'javascript:alert(1)//bff' },
    { variable: 'BREVO_API_URL', value: 'ftp://api.brevo.test/v3' },
    { variable: 'DEMO_BREVO_API_KEY', value: 'xk-sec' },
  ]);
});
