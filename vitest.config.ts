import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // cdk-nag runs are CPU-heavy (aws-cdk-lib); two workers match the 2-core machines here.
    maxWorkers: 2,
  },
});
