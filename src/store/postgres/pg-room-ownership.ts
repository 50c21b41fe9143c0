import pg from 'pg';
import type { Logger } from '../../core/logger';
import type { RoomOwnership } from '../../core/watch/room-ownership';
import { settleWithin } from '../../shared/settle-within';

export interface PgRoomOwnershipOptions {
  readonly url?: string;
  readonly pool?: pg.Pool;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly connectTimeoutMs?: number;
  readonly maxReconnectDelayMs?: number;
}

export type PgRoomOwnership = RoomOwnership & { close(): Promise<void> };

const PING_EVERY_MS = 10_000;
/** Where a refused claim asks the holder to hand the party over (payload: the room id). */
export const ROOMS_WANTED_CHANNEL = 'kaltura_discord_rooms_wanted';
/** A holder hands one party over at most this often: a wrong route (round-robin) must not bounce it for ever. */
const HAND_OVER_EVERY_MS = 5 * 60_000;

/**
 * Watch party ownership across instances: a session-level advisory lock per room (a 64-bit hash of the
 * Activity instance id), all held on one dedicated connection. PostgreSQL releases them when that
 * connection ends, so the rooms of a killed instance can be served elsewhere at once, with no lease to
 * wait out. If the connection drops, it reconnects (capped backoff) and takes its rooms' locks again;
 * while it is down, claims are granted (logged): the rooms keep working rather than refusing everyone.
 * @see https://www.postgresql.org/docs/15/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
 */
export async function createPgRoomOwnership(options: PgRoomOwnershipOptions): Promise<PgRoomOwnership> {
  const { logger, instanceId } = options;
  if (!options.url && !options.pool) throw new TypeError('createPgRoomOwnership needs a url or a pool');
  const base: pg.ClientConfig = options.url ? { connectionString: options.url } : { ...(options.pool as unknown as { options: pg.ClientConfig }).options };
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  /** Rooms whose lock this instance holds (a session lock counts re-locks, so each room is locked once). */
  const held = new Set<string>();
  const claiming = new Map<string, Promise<boolean>>();
  const wantedListeners = new Set<(room: string) => void>();
  const handedOverAt = new Map<string, number>();
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;

  const lock = (c: pg.Client, room: string) =>
    c.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended('kaltura-discord room:' || $1, 0)) AS ok`, [room]).then((r) => r.rows[0]?.ok === true);

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ ...base, connectionTimeoutMillis: connectTimeoutMs, query_timeout: connectTimeoutMs, keepAlive: true,
      application_name: `kaltura-discord rooms ${instanceId}`.slice(0, 63) });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (msg) => {
      const room = msg.payload;
      if (msg.channel !== ROOMS_WANTED_CHANNEL || !room || !held.has(room)) return;
      const now = Date.now();
      for (const [r, at] of handedOverAt) if (now - at >= HAND_OVER_EVERY_MS) handedOverAt.delete(r);
      if (handedOverAt.has(room)) return;
      handedOverAt.set(room, now);
      for (const listener of [...wantedListeners]) {
        try {
          listener(room);
        } catch (err) {
          logger.error({ err }, 'watch party hand-over failed');
        }
      }
    });
    try {
      await c.connect();
      // A vanished instance must not hold its rooms until TCP gives up: the server ends a session that
      // stayed silent past this, and `ping` keeps a live one talking (PostgreSQL 14+; ignored before).
      await c.query(`SET idle_session_timeout = ${PING_EVERY_MS * 3}`).catch(() => undefined);
      await c.query(`LISTEN ${ROOMS_WANTED_CHANNEL}`);
    } catch (err) {
      void c.end().catch(() => {});
      throw err;
    }
    for (const room of [...held]) {
      if (!(await lock(c, room))) logger.warn({ room }, 'watch party taken over by another instance while the database connection was down');
    }
    if (closed) return void c.end().catch(() => {});
    client = c;
  };

  const lost = (c: pg.Client): void => {
    if (client !== c) return;
    client = undefined;
    void c.end().catch(() => {});
    if (closed) return;
    logger.warn({ rooms: held.size }, 'watch party ownership connection lost; reconnecting');
    reconnect();
  };

  const reconnect = (): void => {
    timer = setTimeout(() => {
      connect().then(
        () => ((attempt = 0), logger.info('watch party ownership connection restored')),
        () => (closed ? undefined : (attempt++, reconnect())),
      );
    }, Math.min(maxDelay, 500 * 2 ** Math.min(attempt, 16)));
    timer.unref();
  };

  await connect();
  const ping = setInterval(() => {
    const c = client;
    c?.query('SELECT 1').catch(() => lost(c));
  }, PING_EVERY_MS);
  ping.unref();

  return {
    claim(room) {
      if (held.has(room)) return Promise.resolve(true);
      let pending = claiming.get(room);
      if (!pending) {
        pending = claimOnce(room).finally(() => claiming.delete(room));
        claiming.set(room, pending);
      }
      return pending;
    },
    onWantedElsewhere(listener) {
      wantedListeners.add(listener);
      return () => void wantedListeners.delete(listener);
    },
    release(room) {
      if (!held.delete(room)) return;
      const c = client;
      // Queued on the same connection, so a claim made after this release runs after the unlock.
      c?.query(`SELECT pg_advisory_unlock(hashtextextended('kaltura-discord room:' || $1, 0))`, [room]).catch(() => {});
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(ping);
      const c = client;
      client = undefined;
      held.clear();
      if (c) await settleWithin(c.end(), 2_000);
    },
  };

  function gaveAwayRecently(room: string): boolean {
    const at = handedOverAt.get(room);
    return at !== undefined && Date.now() - at < HAND_OVER_EVERY_MS;
  }

  async function claimOnce(room: string): Promise<boolean> {
    const c = client;
    if (!c) {
      logger.warn({ room }, 'watch party ownership unknown (database connection down); serving it here');
      return true;
    }
    try {
      const ours = await lock(c, room);
      if (ours) held.add(room);
      // The load balancer sends this party here now: ask whoever holds it to hand it over — unless this
      // instance handed it away itself within HAND_OVER_EVERY_MS (a wrong route, e.g. round-robin, must not
      // ask it straight back: the new holder has never handed it over, so it would comply).
      else if (!gaveAwayRecently(room)) await c.query('SELECT pg_notify($1, $2)', [ROOMS_WANTED_CHANNEL, room]).catch(() => undefined);
      return ours;
    } catch (err) {
      logger.warn({ room, err: (err as Error).message }, 'watch party ownership unknown (claim failed); serving it here');
      return true;
    }
  }
}
