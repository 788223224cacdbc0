import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report is what .ci/run summarises as "N passed, N failed".
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
