import type { Pool } from 'pg';
import { toNumberedPlaceholders } from './numbered-placeholders';
import type { SqlExecutor, SqlValue } from './sql-executor';

/**
 * Statements straight on the pool, each its own transaction: for tools that read (doctor) or
 * manage their own transaction, never for the application's repositories (they go through the Store).
 */
export function createPoolExecutor(pool: Pool): SqlExecutor {
  const query = (sql: string, params: readonly SqlValue[]) => pool.query(toNumberedPlaceholders(sql), params as unknown[]);
  return {
    dialect: 'postgres',
    all: async <R>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as R[],
    get: async <R>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows[0] as R | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
}
