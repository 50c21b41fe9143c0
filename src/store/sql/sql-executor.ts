/** A value bound to a `?` placeholder. Booleans are stored as 0/1; times as epoch ms numbers. */
export type SqlValue = string | number | null | Uint8Array;

/**
 * One connection's (or one transaction's) way to run SQL, the same for SQLite and PostgreSQL, so
 * every repository is written once. SQL is written with `?` placeholders (the PostgreSQL executor
 * numbers them `$1…`); integer columns come back as JS numbers on both engines (BIGINT included).
 *
 * Portable SQL only (both engines): `INSERT … ON CONFLICT … DO NOTHING/UPDATE` (never `INSERT OR
 * IGNORE/REPLACE`), `RETURNING`, `CASE` (never scalar `MAX(a, b)`/`GREATEST`, never `SUM(a = b)`),
 * `COALESCE`, `COUNT(*)` (returned as number), no `?` inside string literals. Engine-specific
 * clauses (`FOR UPDATE SKIP LOCKED`) are added by checking `dialect`.
 */
export interface SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  all<R = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  get<R = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<R | undefined>;
  /** `changes`: rows inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}
