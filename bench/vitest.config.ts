/** `npm run test:bench`: the benchmark harness' own tests (unit tests + a short real run of `npm run bench`). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['bench/tests/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/lib/testing/quiet-tfjs.ts'],
    testTimeout: 120_000,
    // The speed smoke test drives Chromium: nothing else should compete for the CPU meanwhile.
    fileParallelism: false,
  },
});
