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
import { composeStore, type ComposeOptions } from './compose-store';
import { createSqliteExecutor } from './sqlite-executor';
import type { TransactionRunner } from './transaction-runner';

export interface SqliteStoreOptions extends ComposeOptions {
  /** Longest wait for this process's other units of work, in ms (default 15 s). */
  readonly lockTimeoutMs?: number;
}

export function createSqliteStore(db: Database, options: SqliteStoreOptions = {}): Store {
  return composeStore(createSqliteRunner(db, options.lockTimeoutMs ?? 15_000), options);
}

/** The store and a way to stop it: `close` waits (bounded) for the running unit, then refuses new ones. */
export function createClosableSqliteStore(db: Database, options: SqliteStoreOptions = {}): { store: Store; close(timeoutMs: number): Promise<void> } {
  const runner = createSqliteRunner(db, options.lockTimeoutMs ?? 15_000);
  return { store: composeStore(runner, options), close: (timeoutMs) => runner.close(timeoutMs) };
}

/**
 * Note for tests: two connections to one file in ONE process do not mix with this store: while
 * one holds a unit open across an `await`, the other's BEGIN IMMEDIATE blocks the event loop for
 * its busy_timeout (better-sqlite3 waits synchronously), then fails with "database is locked".
 * Production has one connection per process.
 */
export function createSqliteRunner(db: Database, lockTimeoutMs: number): TransactionRunner & { close(timeoutMs: number): Promise<void> } {
  const mutex = createAsyncMutex(lockTimeoutMs);
  let closed = false;
  const rollback = () => {
    if (db.inTransaction) prepareCached(db, 'ROLLBACK').run();
  };
  return {
    dialect: 'sqlite',
    async close(timeoutMs) {
      if (closed) return;
      closed = true;
      // Let the running unit (and those already waiting) finish; a stuck one is abandoned after the bound.
      await mutex.acquire(timeoutMs).then((release) => release(), () => undefined);
    },
    async run(fn) {
      if (closed) throw new StoreError('the store is closed (the process is shutting down)');
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
