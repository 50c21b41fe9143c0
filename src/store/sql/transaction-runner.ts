import type { SqlExecutor } from './sql-executor';

/**
 * What an engine provides to build a Store: open a transaction, hand `fn` an executor bound to it,
 * commit when `fn` resolves, roll back when it throws. The executor refuses statements once the
 * transaction has ended (a forgotten `await` fails loudly instead of writing outside it).
 */
export interface TransactionRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** `implicit`: a top-level repository call (its own transaction), which may be retried on PostgreSQL. */
  run<T>(fn: (sql: SqlExecutor) => Promise<T>, implicit: boolean): Promise<T>;
}

/** Set while a transaction is open; the executor checks it before every statement. */
export interface OpenFlag {
  open: boolean;
}

export const ENDED = 'a statement ran after its transaction ended (a missing `await` inside store.transaction?)';
