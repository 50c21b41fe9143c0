/**
 * The engine-neutral half of a Store: the unit of work (`transaction`), savepoints, top-level
 * repository calls as their own transactions, and the misuse check. The engine half (SQLite or
 * PostgreSQL) is a TransactionRunner.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../core/logger';
import type { Repositories, Store, Transaction } from '../../core/ports/store';
import { BoundRepositories, repositoryFactories, type RepositoryFactories } from '../create-repositories';
import { StoreError } from '../store-error';
import type { SqlExecutor } from './sql-executor';
import type { TransactionRunner } from './transaction-runner';

/** Where the current async context is: inside which unit of work, how many savepoints deep. */
interface Scope {
  readonly unit: { open: boolean };
  readonly depth: number;
}

const MISUSE = 'use the transaction passed to fn (calling the store itself inside store.transaction would wait for the transaction it is in)';

export interface ComposeOptions {
  /** Told about an `afterCommit` callback that threw (the commit itself stands). */
  readonly logger?: Pick<Logger, 'warn'>;
}

export function composeStore(runner: TransactionRunner, options: ComposeOptions = {}): Store {
  const factories = repositoryFactories();
  // One per store: AsyncLocalStorage follows `await`s, so a call made (even indirectly) from
  // inside `fn` is seen as such. https://nodejs.org/api/async_context.html#class-asynclocalstorage
  const scopes = new AsyncLocalStorage<Scope>();
  const insideUnit = (): boolean => scopes.getStore()?.unit.open === true;

  async function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (insideUnit()) throw new StoreError(`store.transaction called inside another: ${MISUSE}`);
    let committed: (() => void)[] = [];
    const result = await runner.run(async (sql) => {
      const unit = { open: true };
      const tx = new UnitOfWork(sql, factories, unit, scopes);
      try {
        const value = await scopes.run({ unit, depth: 0 }, () => fn(tx));
        committed = tx.callbacks;
        return value;
      } finally {
        unit.open = false;
      }
    }, false);
    // Outside the unit's scope: a callback may use the store again.
    for (const callback of committed) {
      try {
        callback();
      } catch (err) {
        options.logger?.warn({ err }, 'an afterCommit callback threw; the transaction had committed');
      }
    }
    return result;
  }

  const topLevel = wrapTopLevel(factories, (call) => {
    if (insideUnit()) return Promise.reject(new StoreError(`a store repository was called inside store.transaction: ${MISUSE}`));
    return runner.run(call, true);
  });
  return { dialect: runner.dialect, transaction, ...topLevel };
}

class UnitOfWork extends BoundRepositories implements Transaction {
  #depth = 0;
  /** Run by `transaction` once COMMIT succeeded. */
  readonly callbacks: (() => void)[] = [];
  constructor(
    sql: SqlExecutor,
    factories: RepositoryFactories,
    private readonly unit: { open: boolean },
    private readonly scopes: AsyncLocalStorage<Scope>,
  ) {
    super(sql, factories);
  }

  afterCommit(fn: () => void): void {
    if (!this.unit.open) throw new StoreError('tx.afterCommit called after its transaction ended');
    this.callbacks.push(fn);
  }

  async savepoint<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (!this.unit.open) throw new StoreError('tx.savepoint called after its transaction ended');
    const scope = this.scopes.getStore();
    const depth = scope?.unit === this.unit ? scope.depth : -1;
    // Two sibling savepoints running at once would release each other's changes.
    if (depth !== this.#depth) throw new StoreError('savepoints of one transaction must nest: await one before starting the next');
    const name = `kd_sp_${depth + 1}`;
    this.#depth++; // before the first await, so a sibling started meanwhile is refused
    const callbacksBefore = this.callbacks.length;
    try {
      await this.sql.run(`SAVEPOINT ${name}`);
    } catch (err) {
      this.#depth--;
      throw err;
    }
    try {
      const result = await this.scopes.run({ unit: this.unit, depth: depth + 1 }, () => fn(this));
      await this.sql.run(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      this.callbacks.length = callbacksBefore; // what the rolled-back writes asked for must not happen
      if (this.unit.open) {
        // Undo this savepoint's writes only; the transaction goes on (on PostgreSQL, leaves the aborted state).
        await this.sql.run(`ROLLBACK TO SAVEPOINT ${name}`);
        await this.sql.run(`RELEASE SAVEPOINT ${name}`);
      }
      throw err;
    } finally {
      this.#depth--;
    }
  }
}

/** An executor for listing a repository's methods: repositories run no SQL when built. */
const LISTING_ONLY: SqlExecutor = {
  dialect: 'sqlite',
  all: () => Promise.reject(new Error('listing only')),
  get: () => Promise.reject(new Error('listing only')),
  run: () => Promise.reject(new Error('listing only')),
};

type Call = <T>(fn: (sql: SqlExecutor) => Promise<T>) => Promise<T>;

/** `store.meetings.get(id)` = one transaction running `createMeetingRepo(sql).get(id)`. */
function wrapTopLevel(factories: RepositoryFactories, call: Call): Repositories {
  const repositories: Record<string, Record<string, unknown>> = {};
  for (const [name, factory] of Object.entries(factories) as [keyof Repositories, (sql: SqlExecutor) => object][]) {
    const wrapped: Record<string, unknown> = {};
    for (const method of Object.keys(factory(LISTING_ONLY))) {
      wrapped[method] = (...args: unknown[]) =>
        call((sql) => (factory(sql) as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args));
    }
    repositories[name] = Object.freeze(wrapped);
  }
  return repositories as unknown as Repositories;
}
