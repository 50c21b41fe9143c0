/**
 * The store the meetings tests run over, per engine: fresh, migrated, isolated. Besides the Store
 * it gives what only a test needs: raw SQL for assertions on tables no repository lists, and a
 * second, independent Store on the same database (another process on SQLite, another instance on
 * PostgreSQL), for the races that must have one winner.
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Store } from '../../../src/core/ports/store';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { createSqliteStore } from '../../../src/store/sql/sqlite-store';
import type { StoreDriver } from '../../helpers/stores';

export interface StoreUnderTest {
  readonly driver: StoreDriver;
  readonly store: Store;
  /**
   * Raw SQL for assertions and for what only a test does (a statement that returns no rows gives []).
   * `?` placeholders; write counts as `CAST(COUNT(*) AS INTEGER)` so both engines give numbers.
   */
  all<R = Record<string, unknown>>(sql: string, params?: readonly (string | number | null)[]): Promise<R[]>;
  /**
   * Another connection to the same database with its own Store (closed with this one), as another
   * process or instance has. On SQLite use it between this store's calls, not during them: two
   * connections in one thread would wait on the file lock while holding the event loop.
   */
  another(): Promise<Store>;
  /**
   * A Store whose calls may run at the same time as this one's: on PostgreSQL another pool (a second
   * instance); on SQLite this store itself (one process has one connection; its units take turns).
   */
  peer(): Promise<Store>;
  close(): Promise<void>;
}

/** The drivers these tests run over. PostgreSQL joins once its store lands (E1); see CHANGES.md. */
export const MEETING_STORE_DRIVERS: readonly StoreDriver[] = ['sqlite'];

export async function openStoreUnderTest(driver: StoreDriver, dir: string): Promise<StoreUnderTest> {
  if (driver !== 'sqlite') throw new Error(`no ${driver} store yet`);
  const file = path.join(dir, 'state.db');
  const connections: Database[] = [];
  const connect = () => {
    const db = openDatabase(file);
    connections.push(db);
    migrateDatabase(db, migrations, file);
    return db;
  };
  const db = connect();
  const store = createSqliteStore(db);
  return {
    driver,
    store,
    async all<R>(sql: string, params: readonly (string | number | null)[] = []) {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...params) as R[];
      statement.run(...params);
      return [];
    },
    another: async () => createSqliteStore(connect()),
    peer: async () => store,
    async close() {
      for (const c of connections.splice(0)) closeDatabase(c);
    },
  };
}
