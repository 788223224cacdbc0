import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // Generated WebAssembly is cached in a folder of the tests' own, not the user's (engine/wasm/cache.ts);
    // the CLI processes the tests start inherit it.
    env: { FACEREID_CACHE: join(tmpdir(), 'facereid-test-cache') },
    hookTimeout: 120_000,
    setupFiles: ['test/helpers/relaxed-simd.ts'],
    // The JSON report is what .ci/run summarises as "N passed, N failed".
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
