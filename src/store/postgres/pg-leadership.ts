import pg from 'pg';
import type { Leadership } from '../../core/ports/leadership';
import type { Logger } from '../../core/logger';
import { settleWithin } from '../../shared/settle-within';

/**
 * The advisory lock the leader holds ("kd_leadr" as a 64-bit number). Distinct from the migration lock:
 * a session-level lock (`pg_try_advisory_lock`), held as long as the leader's connection lives.
 * @see https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS
 */
export const LEADER_LOCK_KEY = 7738414978891342962n;

export interface PgLeadershipOptions {
  /** A URL, or a pool whose connection settings are reused (the lock gets its own connection either way). */
  readonly url?: string;
  readonly pool?: pg.Pool;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly lockKey?: bigint;
  /** How often a follower tries the lock and a leader checks its connection. */
  readonly retryMs?: number;
  readonly connectTimeoutMs?: number;
}

export type PgLeadership = Leadership & { close(): Promise<void> };

/**
 * Leadership across instances sharing one PostgreSQL database: the instance whose dedicated connection
 * holds the advisory lock is the leader. Followers try again every `retryMs`; the leader checks its
 * connection as often, and steps down (logged) as soon as it ends or stops answering, since PostgreSQL
 * releases a session lock when the session ends and another instance may then take it. Leader-only jobs
 * check `isLeader()` before each pass, so they stop within one pass of losing it.
 */
export async function createPgLeadership(options: PgLeadershipOptions): Promise<PgLeadership> {
  const { instanceId, logger } = options;
  if (!options.url && !options.pool) throw new TypeError('createPgLeadership needs a url or a pool');
  const retryMs = options.retryMs ?? 5_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const key = String(options.lockKey ?? LEADER_LOCK_KEY);
  const base: pg.ClientConfig = options.url ? { connectionString: options.url } : { ...(options.pool as unknown as { options: pg.ClientConfig }).options };
  let client: pg.Client | undefined;
  let leader = false;
  let holdOffUntil = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();

  const drop = (from: pg.Client, why: string): void => {
    if (client !== from) return;
    client = undefined;
    void from.end().catch(() => {});
    if (leader) {
      logger.warn({ instanceId, why }, 'leadership lost');
      // Give the instances that stayed connected the first tries: the lock goes to a steady connection,
      // not back to the one that just failed.
      holdOffUntil = Date.now() + retryMs * 4;
    }
    leader = false;
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({
      ...base,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: connectTimeoutMs,
      keepAlive: true,
      application_name: `kaltura-discord leader ${instanceId}`.slice(0, 63),
    });
    c.on('error', () => drop(c, 'connection error'));
    c.on('end', () => drop(c, 'connection ended'));
    client = c;
    try {
      await c.connect();
    } catch (err) {
      drop(c, 'connect failed');
      throw err;
    }
    // If this instance vanishes behind a dead network, the server would hold the lock until TCP gives up
    // (hours): a session silent for three tries is ended by the server instead, freeing the lock.
    // (PostgreSQL 14+; older servers keep their TCP keepalive behaviour.)
    await c.query(`SET idle_session_timeout = ${Math.max(1_000, retryMs * 3 + connectTimeoutMs)}`).catch(() => undefined);
    return c;
  };

  const attempt = async (): Promise<void> => {
    let c = client;
    try {
      c ??= await connect();
      if (leader || Date.now() < holdOffUntil) {
        await c.query('SELECT 1');
        return;
      }
      const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
      if (rows[0]?.ok && client === c && !closed) {
        leader = true;
        logger.info({ instanceId }, 'leadership acquired');
      }
    } catch (err) {
      if (c) drop(c, (err as Error).message);
      if (!c) logger.debug({ instanceId, err: (err as Error).message }, 'leadership: database unreachable, retrying');
    }
  };

  const loop = (): void => {
    timer = setTimeout(() => {
      pass = attempt().finally(() => {
        if (!closed) loop();
      });
    }, retryMs);
    timer.unref();
  };

  try {
    await connect();
  } catch (err) {
    throw new Error(`leadership: could not connect to PostgreSQL: ${(err as Error).message}`, { cause: err });
  }
  pass = attempt();
  await pass;
  loop();

  return {
    instanceId,
    isLeader: () => leader,
    async close() {
      closed = true;
      clearTimeout(timer);
      await settleWithin(pass, 1_000);
      const c = client;
      if (leader) logger.info({ instanceId }, 'leadership released');
      leader = false;
      client = undefined;
      // Ending the session releases the lock; a follower takes it on its next try.
      if (c) await settleWithin(c.end(), 2_000);
    },
  };
}
