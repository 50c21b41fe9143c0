import pg from 'pg';
import type { Logger } from '../../core/logger';
import { postgresTypes } from './postgres-types';

export interface PostgresPoolOptions {
  readonly poolSize: number;
  readonly logger: Pick<Logger, 'warn'>;
  /** Longest wait to connect or for a free pooled connection (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Longest wait for a statement's answer on this side (default 35 s: past statement_timeout, so the server's error normally wins). */
  readonly queryTimeoutMs?: number;
}

/**
 * The pool every request's unit of work draws from. Every wait is bounded: connecting and waiting
 * for a free connection (`connectionTimeoutMillis`), a statement on the server (`statement_timeout`),
 * a transaction left open by a stuck caller (`idle_in_transaction_session_timeout`, which ends
 * the session so its locks are released), and the answer itself (`query_timeout`): a server gone
 * silent behind the network (failover to a new address, a dropped NAT entry) would otherwise hold
 * the call until TCP gives up, ~15 min; keep-alive probes start after 10 s of silence instead of
 * the OS's 2 h. A client whose query timed out is destroyed (postgres-store's release), not reused.
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
    query_timeout: options.queryTimeoutMs ?? 35_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: postgresTypes,
  });
  // An idle client's connection can fail (server restart); without a listener that error would end
  // the process. The pool drops the client and connects a new one when needed.
  pool.on('error', (err) => options.logger.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'an idle PostgreSQL connection failed; it is replaced'));
  return pool;
}
