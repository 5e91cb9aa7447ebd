// The pool check's own run (test/mock/cluster-pools.test.ts passes --pool): four files, each
// starting clusters of the same resource type, in one process (threads) or one per file (forks).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/cluster-pool/*.pool.ts'],
    fileParallelism: true,
    testTimeout: 30000,
  },
});
