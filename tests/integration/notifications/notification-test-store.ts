/**
 * The store the notifications tests run over, per engine: fresh, migrated, isolated (SQLite in a
 * temp file; PostgreSQL a new database on the run's test cluster). Besides the Store: raw SQL for
 * assertions on columns no repository returns, and `peer()`, the Store a second instance (or a
 * restarted one) has: on PostgreSQL another pool on the same database; on SQLite the same store (one
 * process has one connection: a second connection in the same thread would block the event loop on
 * the file lock while the first holds it mid-transaction).
 */
import path from 'node:path';
import pg from 'pg';
import type { Store } from '../../../src/core/ports/store';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migratePostgres } from '../../../src/store/migrate-postgres';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { createPostgresStore } from '../../../src/store/sql/postgres-store';
import { postgresTypes } from '../../../src/store/sql/postgres-types';
import { createSqliteStore } from '../../../src/store/sql/sqlite-store';
import { toNumberedPlaceholders } from '../../../src/store/sql/numbered-placeholders';
import { createTestPostgresDatabase, type StoreDriver } from '../../helpers/stores';

type Param = string | number | null;

export interface NotificationTestStore {
  readonly driver: StoreDriver;
  readonly store: Store;
  /** Raw SQL (`?` placeholders); integers come back as numbers on both engines. */
  all<R = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<R[]>;
  run(sql: string, params?: readonly Param[]): Promise<void>;
  /** Another instance's Store on the same database, closed with this one (SQLite: this store). */
  peer(): Promise<Store>;
  close(): Promise<void>;
}

export async function openNotificationTestStore(driver: StoreDriver, dir: string, file = path.join(dir, 'state.db')): Promise<NotificationTestStore> {
  if (driver === 'sqlite') {
    const db = openDatabase(file);
    migrateDatabase(db, migrations, file);
    const store = createSqliteStore(db);
    return {
      driver,
      store,
      all: async <R>(sql: string, params: readonly Param[] = []) => db.prepare(sql).all(...params) as R[],
      run: async (sql, params = []) => void db.prepare(sql).run(...params),
      peer: async () => store,
      close: async () => closeDatabase(db),
    };
  }
  const database = await createTestPostgresDatabase();
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: database.url, types: postgresTypes, max: 4 });
    pools.push(p);
    return p;
  };
  const main = pool();
  try {
    await migratePostgres(main, migrations, database.name);
  } catch (err) {
    await main.end();
    await database.drop();
    throw err;
  }
  return {
    driver,
    store: createPostgresStore(main),
    all: async <R>(sql: string, params: readonly Param[] = []) => (await main.query(toNumberedPlaceholders(sql), params as unknown[])).rows as R[],
    run: async (sql, params = []) => void (await main.query(toNumberedPlaceholders(sql), params as unknown[])),
    peer: async () => createPostgresStore(pool()),
    async close() {
      await Promise.allSettled(pools.splice(0).map((p) => p.end()));
      await database.drop();
    },
  };
}
