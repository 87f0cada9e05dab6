// @vitest-environment node
// Relative: the microfrontend does not depend on the testing package.
import { itRefusesBadConfiguration } from '@contact-sync/testing';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

// The microfrontend's dev server (scripts/serve.ts) started for real with one bad variable at a time.
const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('web dev server start-up configuration', () => {
  itRefusesBadConfiguration(
    appDir,
    {},
    [
      { variable: 'WEB_PORT', value: 'port-5180x' },
      { variable: 'BFF_PUBLIC_URL', value: 'bff.example.test:4000' },
    ],
    { entry: 'scripts/serve.ts' },
  );
});
