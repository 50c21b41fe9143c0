import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/sea/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests start real servers on 127.0.0.1 and spawn the CLI; two cores are all we have.
    pool: 'forks',
    // One throwaway PostgreSQL cluster per run for the postgres store tests (tests/helpers/stores.ts).
    globalSetup: ['tests/global-postgres.ts'],
  },
});
