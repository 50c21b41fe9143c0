/**
 * The Store over a node-postgres Pool. Each unit of work (and each top-level repository call)
 * checks out a client, runs BEGIN … COMMIT on it, and gives it back. Isolation is PostgreSQL's
 * default, READ COMMITTED (https://www.postgresql.org/docs/current/transaction-iso.html):
 * repositories make their writes conditional or lock what they read, rather than every unit
 * paying for SERIALIZABLE's retries.
 */
import type { Pool, PoolClient } from 'pg';
import type { Store } from '../../core/ports/store';
import { StoreError } from '../store-error';
import { composeStore, type ComposeOptions } from './compose-store';
import { holdClient } from './hold-client';
import { createPostgresExecutor } from './postgres-executor';
import type { SqlExecutor } from './sql-executor';
import type { TransactionRunner } from './transaction-runner';

/** serialization_failure, deadlock_detected: the statement may succeed if run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

export function createPostgresStore(pool: Pool, options: ComposeOptions = {}): Store {
  return composeStore(createPostgresRunner(pool), options);
}

export function createPostgresRunner(pool: Pool): TransactionRunner {
  return {
    dialect: 'postgres',
    async run(fn, implicit) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await runOnce(pool, fn);
        } catch (err) {
          // A top-level call is one repository method: running it again is what the caller would do.
          // A unit of work is not retried: its `fn` may have done more than SQL before failing.
          if (!implicit || attempt >= ATTEMPTS || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
        }
      }
    },
  };
}

async function runOnce<T>(pool: Pool, fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
  // Bounded by the pool's connectionTimeoutMillis.
  const client: PoolClient = await pool.connect();
  const flag = { open: false };
  // A client whose transaction state we cannot vouch for is destroyed, not returned to the pool.
  const held = holdClient(client);
  try {
    try {
      await client.query('BEGIN');
    } catch (err) {
      held.markBroken(err as Error);
      throw err;
    }
    flag.open = true;
    let result: T;
    try {
      result = await fn(createPostgresExecutor(client, flag));
    } catch (err) {
      flag.open = false;
      // An error of the caller's (a refusal thrown to roll back) leaves a healthy connection once
      // ROLLBACK succeeds; only a failed ROLLBACK means the connection itself is in doubt.
      await client.query('ROLLBACK').catch((e: Error) => held.markBroken(e));
      throw err;
    }
    flag.open = false;
    let done;
    try {
      done = await client.query('COMMIT');
    } catch (err) {
      held.markBroken(err as Error);
      throw err;
    }
    // COMMIT of a transaction in which a statement failed answers ROLLBACK, without an error.
    if (done.command === 'ROLLBACK') {
      throw new StoreError('PostgreSQL rolled the transaction back because a statement in it failed; nothing was written (run a statement that may fail inside tx.savepoint)');
    }
    return result;
  } finally {
    flag.open = false;
    held.release();
  }
}
