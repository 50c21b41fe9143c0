import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Both storage engines; store tests run once per driver (`describe.each(STORE_DRIVERS)`). */
export const STORE_DRIVERS = ['sqlite', 'postgres'] as const;
export type StoreDriver = (typeof STORE_DRIVERS)[number];

/**
 * The superuser URL of the run's test cluster (tests/global-postgres.ts). Throws a clear error when the
 * cluster could not be started: a test that needs PostgreSQL fails, it is never skipped.
 */
export function testPostgresUrl(): string {
  const url = process.env.KD_TEST_POSTGRES_URL || safeInject('postgresUrl');
  if (url) return url;
  const why = safeInject('postgresError') || process.env.KD_TEST_POSTGRES_ERROR || 'the vitest globalSetup tests/global-postgres.ts did not run';
  throw new Error(`This test needs PostgreSQL and none is available: ${why}`);
}

export interface TestPostgresDatabase {
  /** URL of a fresh, empty database on the test cluster. */
  readonly url: string;
  readonly name: string;
  /** Drops the database, ending any connection still open to it (bounded). */
  drop(): Promise<void>;
}

/** A new, empty database on the test cluster; isolates a test from every other (workers run in parallel). */
export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const admin = testPostgresUrl();
  const name = `kd_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      // WITH (FORCE) (PostgreSQL 13+): a test that forgot to close a pool must not keep its database alive.
      await withAdmin(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin(url: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, statement_timeout: 30_000 });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

function safeInject(key: 'postgresUrl' | 'postgresError'): string {
  try {
    return inject(key) ?? '';
  } catch {
    return ''; // Outside a vitest worker (e.g. a script reusing this helper).
  }
}
