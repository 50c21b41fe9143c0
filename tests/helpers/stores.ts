import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { StorageConfig } from '../../src/config/config-types';
import type { Logger } from '../../src/core/logger';
import { openStore, type OpenedStore } from '../../src/store/open-store';

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

export type TestStore = OpenedStore & { readonly storage: StorageConfig };

/**
 * A fresh, migrated store of either engine, opened through the product's `openStore`: SQLite in a new
 * file (in `dir`, else a temp folder removed on close), PostgreSQL in a new database on the test
 * cluster, dropped on close. Close it in afterEach.
 */
export async function openTestStore(driver: StoreDriver, options: { dir?: string; logger?: Logger; instanceId?: string } = {}): Promise<TestStore> {
  const logger = options.logger ?? silentLogger;
  const instanceId = options.instanceId ?? 'test-instance';
  if (driver === 'sqlite') {
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kd-store-'));
    const storage: StorageConfig = { driver: 'sqlite', path: path.join(dir, `kd-${randomBytes(4).toString('hex')}.sqlite`) };
    const opened = await openStore(storage, { logger, instanceId });
    return { ...opened, storage, close: once(async () => {
      await opened.close();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    }) };
  }
  const db = await createTestPostgresDatabase();
  const storage: StorageConfig = { driver: 'postgres', path: '', url: db.url, poolSize: 4 };
  try {
    const opened = await openStore(storage, { logger, instanceId });
    return { ...opened, storage, close: once(async () => {
      await opened.close();
      await db.drop();
    }) };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

const noop = (): void => {};
const silentLogger: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => silentLogger };

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
