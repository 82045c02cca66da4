import { defineConfig } from 'vitest/config';

// The live tests start real processes (llmscope demo, Prometheus) and share two CPU cores
// with the rest of the suite: one file at a time, generous timeouts.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
