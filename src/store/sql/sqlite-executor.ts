import type { Database } from 'better-sqlite3';
import { prepareCached } from '../prepare-cached';
import { StoreError } from '../store-error';
import type { SqlExecutor, SqlValue } from './sql-executor';
import { ENDED, type OpenFlag } from './transaction-runner';

/**
 * An executor on a better-sqlite3 connection, valid while `flag.open`. Statements are prepared
 * once per connection (prepareCached). The methods are `async`, so a SQLite error becomes a
 * rejected promise, as on PostgreSQL.
 */
export function createSqliteExecutor(db: Database, flag: OpenFlag): SqlExecutor {
  const prepare = (sql: string) => {
    if (!flag.open) throw new StoreError(ENDED);
    return prepareCached(db, sql);
  };
  return {
    dialect: 'sqlite',
    all: async <R>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params) as R[],
    get: async <R>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).get(...params) as R | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: prepare(sql).run(...params).changes }),
  };
}
