/**
 * The store the meetings tests run over, per engine (`openTestStore`: fresh, migrated, isolated).
 * Besides the Store it gives what only a test needs: raw SQL for assertions on tables no
 * repository lists, and a second, independent Store on the same database (another process on
 * SQLite, another instance on PostgreSQL), for the races that must have one winner.
 */
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import type { Store } from '../../../src/core/ports/store';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { createPostgresPool } from '../../../src/store/sql/create-postgres-pool';
import { toNumberedPlaceholders } from '../../../src/store/sql/numbered-placeholders';
import { createPostgresStore } from '../../../src/store/sql/postgres-store';
import { createPoolExecutor } from '../../../src/store/sql/pool-executor';
import type { SqlExecutor } from '../../../src/store/sql/sql-executor';
import { createSqliteExecutor } from '../../../src/store/sql/sqlite-executor';
import { createSqliteStore } from '../../../src/store/sql/sqlite-store';
import { openTestStore, STORE_DRIVERS, type StoreDriver } from '../../helpers/stores';

export interface StoreUnderTest {
  readonly driver: StoreDriver;
  readonly store: Store;
  /**
   * Raw SQL for assertions and for what only a test does (a statement that returns no rows gives []).
   * `?` placeholders; write counts as `CAST(COUNT(*) AS INTEGER)` so both engines give numbers.
   */
  all<R = Record<string, unknown>>(sql: string, params?: readonly (string | number | null)[]): Promise<R[]>;
  /** A SqlExecutor outside any unit of work (what doctor reads through), each statement on its own. */
  readonly sql: SqlExecutor;
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

/** The drivers these tests run over: both engines. */
export const MEETING_STORE_DRIVERS: readonly StoreDriver[] = STORE_DRIVERS;

const quiet = { warn: () => {} };

export async function openStoreUnderTest(driver: StoreDriver, dir: string): Promise<StoreUnderTest> {
  const opened = await openTestStore(driver, { dir });
  const closers: (() => Promise<void>)[] = [];
  let another: () => Promise<Store>;
  let all: StoreUnderTest['all'];
  let sql: SqlExecutor;
  if (opened.sqlite) {
    const db: Database = opened.sqlite;
    const file = opened.storage.path;
    another = async () => {
      const second = openDatabase(file);
      closers.push(async () => closeDatabase(second));
      return createSqliteStore(second);
    };
    all = async <R>(sql: string, params: readonly (string | number | null)[] = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...params) as R[];
      statement.run(...params);
      return [];
    };
    sql = createSqliteExecutor(db, { open: true });
  } else {
    const pools: pg.Pool[] = [];
    const pool = () => {
      const p = createPostgresPool(opened.storage.url!, { poolSize: 4, logger: quiet });
      pools.push(p);
      return p;
    };
    const raw = pool();
    closers.push(async () => {
      for (const p of pools.splice(0)) await p.end();
    });
    another = async () => createPostgresStore(pool());
    all = async <R>(text: string, params: readonly (string | number | null)[] = []) => (await raw.query(toNumberedPlaceholders(text), [...params])).rows as R[];
    sql = createPoolExecutor(raw);
  }
  let peer: Store | undefined;
  return {
    driver,
    store: opened.store,
    all,
    sql,
    another,
    peer: async () => (driver === 'sqlite' ? opened.store : (peer ??= await another())),
    async close() {
      for (const c of closers.splice(0).reverse()) await c();
      await opened.close();
    },
  };
}
