import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements, reused per connection. better-sqlite3 compiles SQL on every
 * `prepare`; on the join-link path that was a fifth of the time. Keyed weakly by the
 * connection, so a closed database takes its statements with it.
 */
const cache = new WeakMap<Database, Map<string, Statement>>();

export function prepareCached(db: Database, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
