import pg from 'pg';
import { ALL_KEYS, type ChangeFeed, type ChangeTopic } from '../../core/ports/leadership';
import type { Logger } from '../../core/logger';
import { settleWithin } from '../../shared/settle-within';
import { createLocalChangeFeed } from '../local-change-feed';

/** One fixed NOTIFY channel per topic (a Record, so a new topic without a channel fails to compile). */
export const CHANGE_CHANNELS: Readonly<Record<ChangeTopic, string>> = {
  settings: 'kaltura_discord_settings',
  categories: 'kaltura_discord_categories',
};

export { ALL_KEYS };

/** Payloads are short keys (guild ids); NOTIFY's own limit is 8000 bytes. */
const MAX_KEY_LENGTH = 200;

export interface PgChangeFeedOptions {
  readonly url: string;
  readonly logger: Logger;
  /** Publishes through the pool while the listening connection is reconnecting. */
  readonly pool?: pg.Pool;
  readonly connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts (they back off from 500 ms). */
  readonly maxReconnectDelayMs?: number;
}

export type PgChangeFeed = ChangeFeed & { close(): Promise<void> };

/**
 * The change feed across instances: `LISTEN` on one dedicated connection, `pg_notify` to publish.
 * The publisher's own subscribers run at once (not on the echo), so a local cache never waits for the
 * round trip. When the connection drops it reconnects with a capped backoff, and then tells every
 * subscriber `ALL_KEYS`, since notifications sent while it was away are lost (PostgreSQL does not queue
 * them for a session that is gone).
 * @see https://www.postgresql.org/docs/15/sql-notify.html
 */
export async function createPgChangeFeed(options: PgChangeFeedOptions): Promise<PgChangeFeed> {
  const { logger } = options;
  const local = createLocalChangeFeed({ logger });
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  const topicOf = new Map(Object.entries(CHANGE_CHANNELS).map(([topic, channel]) => [channel, topic as ChangeTopic]));
  let current: { client: pg.Client; pid: number } | undefined;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: connectTimeoutMs,
      keepAlive: true,
      application_name: 'kaltura-discord change feed',
    });
    client.on('error', () => lost(client, 'connection error'));
    client.on('end', () => lost(client, 'connection ended'));
    client.on('notification', (msg) => {
      const topic = topicOf.get(msg.channel);
      // Our own publications were delivered locally already.
      if (!topic || msg.payload === undefined || msg.processId === current?.pid) return;
      local.deliver(topic, msg.payload);
    });
    try {
      await client.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      for (const channel of Object.values(CHANGE_CHANNELS)) await client.query(`LISTEN ${channel}`);
      if (closed) throw new Error('change feed closed');
      current = { client, pid };
    } catch (err) {
      void client.end().catch(() => {});
      throw err;
    }
  };

  const lost = (client: pg.Client, why: string): void => {
    if (current?.client !== client) return;
    current = undefined;
    void client.end().catch(() => {});
    if (closed) return;
    logger.warn({ why }, 'change feed connection lost; reconnecting (caches drop everything once it is back)');
    reconnect();
  };

  const reconnect = (): void => {
    const delay = Math.min(maxDelay, 500 * 2 ** Math.min(attempt, 16));
    timer = setTimeout(() => {
      connect().then(
        () => {
          attempt = 0;
          logger.info('change feed connection restored');
          for (const topic of Object.keys(CHANGE_CHANNELS) as ChangeTopic[]) local.deliver(topic, ALL_KEYS);
        },
        (err: unknown) => {
          if (closed) return;
          attempt++;
          logger.warn({ err: (err as Error).message, attempt }, 'change feed reconnect failed');
          reconnect();
        },
      );
    }, delay);
    timer.unref();
  };

  await connect();

  return {
    subscribe: local.subscribe,
    async publish(topic, key) {
      if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || !(topic in CHANGE_CHANNELS)) {
        throw new TypeError(`change feed: a key is 1–${MAX_KEY_LENGTH} characters of a known topic (got topic ${String(topic)})`);
      }
      local.deliver(topic, key);
      const via = current?.client ?? options.pool;
      if (!via) {
        logger.warn({ topic }, 'change not announced to other instances: the change feed is reconnecting');
        return;
      }
      try {
        await via.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNELS[topic], key]);
      } catch (err) {
        // The change is committed; a failed announcement must not turn it into an error for the caller.
        logger.warn({ err: (err as Error).message, topic }, 'change not announced to other instances');
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = current;
      current = undefined;
      if (c) await settleWithin(c.client.end(), 2_000);
    },
  };
}
