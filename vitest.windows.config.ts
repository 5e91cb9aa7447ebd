import { defineConfig } from 'vitest/config';

// The Windows tier: runs against the cross-built artifacts in prebuilds/win32-x64 (and Wine).
export default defineConfig({
  test: { pool: 'forks', include: ['test/windows/**/*.test.ts'], testTimeout: 120000, hookTimeout: 120000 },
});
