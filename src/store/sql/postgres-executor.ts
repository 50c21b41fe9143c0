import type { PoolClient } from 'pg';
import { StoreError } from '../store-error';
import { toNumberedPlaceholders } from './numbered-placeholders';
import type { SqlExecutor, SqlValue } from './sql-executor';
import { ENDED, type OpenFlag } from './transaction-runner';

/** An executor on one checked-out client, valid while `flag.open` (its transaction). */
export function createPostgresExecutor(client: PoolClient, flag: OpenFlag): SqlExecutor {
  const query = (sql: string, params: readonly SqlValue[]) => {
    if (!flag.open) return Promise.reject(new StoreError(ENDED));
    return client.query(toNumberedPlaceholders(sql), params as unknown[]);
  };
  return {
    dialect: 'postgres',
    all: async <R>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as R[],
    get: async <R>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows[0] as R | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
}
