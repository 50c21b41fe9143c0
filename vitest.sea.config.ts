import { defineConfig } from 'vitest/config';

/** Smoke test of the built single executable (`npm run package` first). */
export default defineConfig({
  test: {
    include: ['tests/sea/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
