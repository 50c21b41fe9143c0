/**
 * True when `err` is a unique or primary-key violation, on either engine: SQLite's extended
 * result codes (https://www.sqlite.org/rescode.html#constraint_unique) or PostgreSQL's SQLSTATE
 * 23505 (https://www.postgresql.org/docs/current/errcodes-appendix.html). Prefer
 * `ON CONFLICT … DO NOTHING` and `changes`; this is for the rare insert that must fail loudly.
 * On PostgreSQL the failed statement aborts the transaction: catch it around a `tx.savepoint`.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
