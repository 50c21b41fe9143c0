/**
 * The Store over one better-sqlite3 connection. better-sqlite3 is synchronous and a connection
 * has one transaction, so units of work take turns through an async mutex; each one is
 * `BEGIN IMMEDIATE` … `COMMIT`, which takes SQLite's write lock up front so a read-check-write
 * inside is atomic and never fails half-way with SQLITE_BUSY on the upgrade to a write lock
 * (https://www.sqlite.org/lang_transaction.html: "IMMEDIATE causes the database connection to
 * start a new write immediately"). Another process (the CLI) waits up to the connection's
 * busy_timeout for that lock.
 */
import type { Database } from 'better-sqlite3';
import type { Store } from '../../core/ports/store';
import { prepareCached } from '../prepare-cached';
import { StoreError } from '../store-error';
import { createAsyncMutex } from './async-mutex';
import { composeStore } from './compose-store';
import { createSqliteExecutor } from './sqlite-executor';
import type { TransactionRunner } from './transaction-runner';

export interface SqliteStoreOptions {
  /** Longest wait for this process's other units of work, in ms (default 15 s). */
  readonly lockTimeoutMs?: number;
}

export function createSqliteStore(db: Database, options: SqliteStoreOptions = {}): Store {
  return composeStore(createSqliteRunner(db, options.lockTimeoutMs ?? 15_000));
}

export function createSqliteRunner(db: Database, lockTimeoutMs: number): TransactionRunner {
  const mutex = createAsyncMutex(lockTimeoutMs);
  const rollback = () => {
    if (db.inTransaction) prepareCached(db, 'ROLLBACK').run();
  };
  return {
    dialect: 'sqlite',
    async run(fn) {
      const release = await mutex.acquire();
      const flag = { open: false };
      try {
        prepareCached(db, 'BEGIN IMMEDIATE').run();
        flag.open = true;
        let result;
        try {
          result = await fn(createSqliteExecutor(db, flag));
        } catch (err) {
          flag.open = false;
          rollback();
          throw err;
        }
        flag.open = false;
        // Some errors (SQLITE_FULL, SQLITE_IOERR…) end the transaction themselves; never report
        // success for writes SQLite already discarded. https://www.sqlite.org/lang_transaction.html
        if (!db.inTransaction) throw new StoreError('SQLite rolled the transaction back after an error inside it; nothing was written');
        try {
          prepareCached(db, 'COMMIT').run();
        } catch (err) {
          rollback();
          throw err;
        }
        return result;
      } finally {
        flag.open = false;
        release();
      }
    },
  };
}
