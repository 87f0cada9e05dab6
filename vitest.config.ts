import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// Tests live beside the code they test (`foo.ts` + `foo.test.ts`). The `node`
// and `web` projects share one local database (global setup); the `e2e`
// project drives Debian's Chromium against the whole product, which its own
// global setup starts, so scripts/test.mjs runs it after the others.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          globalSetup: ['packages/testing/src/global-setup.ts'],
          environment: 'node',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          exclude: ['apps/web/**', '**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'web',
          environment: 'happy-dom',
          include: ['apps/web/src/**/*.test.ts', 'apps/web/scripts/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/support/global-setup.mjs'],
          // One browser flow at a time: the stack is shared and the machine has 2 cores.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
