import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Native threads and thread-safe functions: one process per test file (node-addon-api advice).
    pool: 'forks',
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // The Windows tier needs the cross-built artifacts; `npm run test:windows` runs it.
    exclude: ['test/windows/**', '**/node_modules/**'],
    testTimeout: 30000,
    hookTimeout: 30000,
  },
});
