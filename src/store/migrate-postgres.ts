/**
 * The PostgreSQL migration runner: the same migrations as SQLite (translated, or their
 * `postgres` text), in one transaction, the version kept in `schema_meta`. Several instances may
 * start at once against one database: each takes a transaction-level advisory lock first, so one
 * migrates and the others then find the work done
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS; the lock is
 * released at COMMIT or ROLLBACK, so a crashed migrator never leaves it held).
 * PostgreSQL DDL is transactional, so a failed step leaves nothing behind.
 */
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { newerSchemaError, type MigrationResult } from './migrate-database';
import type { Migration } from './migrations/migration';
import { holdClient } from './sql/hold-client';
import { toPostgresDdl } from './sql/to-postgres-ddl';

/** Our advisory lock key for migrations ('kdmigrat' as bytes): distinct from the leadership lock. */
export const MIGRATION_LOCK_KEY = 0x6b646d6967726174n;

/** A migration on a large database may take a while; the pool's statement_timeout is for requests. */
const MIGRATION_TIMEOUT = '15min';
const MIGRATION_TIMEOUT_MS = 15 * 60_000 + 30_000;

/** A query with node-postgres's per-query `query_timeout` (read by pg's Client#query; absent from @types/pg). */
const longQuery = (text: string, values?: unknown[]): QueryConfig => ({ text, ...(values && { values }), query_timeout: MIGRATION_TIMEOUT_MS }) as QueryConfig;

export function postgresText(migration: Migration): string {
  return migration.postgres ?? toPostgresDdl(migration.sql, migration.name);
}

export async function migratePostgres(pool: Pool, migrations: readonly Migration[], where: string): Promise<MigrationResult> {
  // Translate everything before touching the database: a refusal changes nothing.
  const texts = migrations.map(postgresText);
  const client = await pool.connect();
  const held = holdClient(client);
  try {
    await client.query('BEGIN');
    try {
      const result = await migrateLocked(client, texts, where);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => held.markBroken(e));
      throw err;
    }
  } finally {
    held.release();
  }
}

async function migrateLocked(client: PoolClient, texts: readonly string[], where: string): Promise<MigrationResult> {
  await client.query(`SET LOCAL statement_timeout = '${MIGRATION_TIMEOUT}'`);
  // Another instance migrating holds the lock for as long as its migration takes.
  await client.query(longQuery('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]));
  await client.query('CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY NOT NULL, value BIGINT NOT NULL)');
  const row = (await client.query<{ value: string }>("SELECT value::text AS value FROM schema_meta WHERE key = 'version'")).rows[0];
  const from = row ? Number(row.value) : 0;
  if (from > texts.length) throw newerSchemaError(where, from, texts.length);
  if (from === texts.length) return { from, to: from };
  // No parameters: the simple query protocol runs a migration's several statements in one call.
  // The pool's client-side query timeout is for requests; a migration may run as long as the SET LOCAL above allows.
  for (let i = from; i < texts.length; i++) await client.query(longQuery(texts[i]!));
  await client.query(
    "INSERT INTO schema_meta (key, value) VALUES ('version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [texts.length],
  );
  return { from, to: texts.length };
}

/** The schema version of a PostgreSQL database (0 when never migrated). */
export async function postgresSchemaVersion(pool: Pool): Promise<number> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_meta')::text AS t");
  if (!exists.rows[0]?.t) return 0;
  const row = (await pool.query<{ value: string }>("SELECT value::text AS value FROM schema_meta WHERE key = 'version'")).rows[0];
  return row ? Number(row.value) : 0;
}
