import type { PoolClient } from 'pg';

/**
 * Listens for 'error' on a checked-out client until it is released. pg-pool drops its own listener
 * on checkout, and node-postgres emits 'error' when the server ends the session between queries
 * (a restart or failover, pg_terminate_backend, idle_in_transaction_session_timeout): unheard, that
 * is an uncaught exception that ends the process. Heard, the client is marked broken, its next
 * query fails, and `release` destroys it instead of returning it to the pool.
 * @see https://node-postgres.com/apis/pool#releasing-clients
 */
export function holdClient(client: PoolClient): { readonly broken: () => Error | undefined; markBroken(err: Error): void; release(): void } {
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken ??= err;
  };
  client.on('error', onError);
  return {
    broken: () => broken,
    markBroken(err) {
      broken ??= err;
    },
    release() {
      client.off('error', onError);
      client.release(broken);
    },
  };
}
