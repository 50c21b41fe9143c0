import pg from 'pg';
import type { Logger } from '../../core/logger';
import { postgresTypes } from './postgres-types';

export interface PostgresPoolOptions {
  readonly poolSize: number;
  readonly logger: Pick<Logger, 'warn'>;
  /** Longest wait to connect or for a free pooled connection (default 10 s). */
  readonly connectTimeoutMs?: number;
}

/**
 * The pool every request's unit of work draws from. Every wait is bounded: connecting and waiting
 * for a free connection (`connectionTimeoutMillis`), a statement on the server (`statement_timeout`),
 * and a transaction left open by a stuck caller (`idle_in_transaction_session_timeout`, which ends
 * the session so its locks are released).
 * @see https://node-postgres.com/apis/pool
 * @see https://www.postgresql.org/docs/current/runtime-config-client.html
 */
export function createPostgresPool(url: string, options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'kaltura-discord',
    keepAlive: true,
    types: postgresTypes,
  });
  // An idle client's connection can fail (server restart); without a listener that error would end
  // the process. The pool drops the client and connects a new one when needed.
  pool.on('error', (err) => options.logger.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'an idle PostgreSQL connection failed; it is replaced'));
  return pool;
}
