import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// One vitest run covers every workspace package and app; tests live beside
// the code they test (`foo.ts` + `foo.test.ts`). Browser tests are separate
// (`e2e/`, run by scripts/test.mjs once the whole stack is up).
export default defineConfig({
  test: {
    globalSetup: ['packages/testing/src/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
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
          include: ['apps/web/src/**/*.test.ts'],
        },
      },
    ],
  },
});
