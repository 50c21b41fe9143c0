/**
 * Opens the configured storage, migrated and ready: SQLite (one instance: always the leader,
 * changes announced in-process) or PostgreSQL (several instances: leadership by advisory lock,
 * changes over LISTEN/NOTIFY). What `serve` and the CLI build the rest on.
 */
import type { Database } from 'better-sqlite3';
import type { Logger } from '../core/logger';
import type { ChangeFeed, Leadership } from '../core/ports/leadership';
import type { Store } from '../core/ports/store';
import type { StorageConfig } from '../config/config-types';
import { setAppMeta } from './app-meta';
import { createLocalChangeFeed } from './local-change-feed';
import { migrateDatabase } from './migrate-database';
import { migratePostgres } from './migrate-postgres';
import { migrations } from './migrations/index';
import { closeDatabase, openDatabase } from './open-database';
import { createPgChangeFeed } from './postgres/pg-change-feed';
import { createPgLeadership } from './postgres/pg-leadership';
import { redactStorageUrl } from './redact-storage-url';
import { createPostgresPool } from './sql/create-postgres-pool';
import { createPostgresStore } from './sql/postgres-store';
import { createClosableSqliteStore } from './sql/sqlite-store';
import { StoreError } from './store-error';
import { withTimeout } from './with-timeout';

export interface OpenedStore {
  readonly store: Store;
  readonly dialect: 'sqlite' | 'postgres';
  readonly leadership: Leadership;
  readonly changes: ChangeFeed;
  /** Cheap readiness probe (SELECT 1), bounded. */
  ping(): Promise<void>;
  /** The SQLite connection (backup, doctor sizes); undefined on PostgreSQL. */
  readonly sqlite?: Database;
  /** Bounded; checkpoints the WAL on SQLite; ends pools and listeners on PostgreSQL. Safe to call twice. */
  close(): Promise<void>;
  readonly migrated: { from: number; to: number };
}

export interface OpenStoreOptions {
  readonly logger: Logger;
  readonly instanceId: string;
  readonly sqliteBinding?: object;
  /** Recorded as app_meta `last_version` (the release that last opened the database). */
  readonly version?: string;
  /** Longest wait for running units of work when closing (default 5 s). */
  readonly closeTimeoutMs?: number;
}

const PING_TIMEOUT_MS = 5_000;

export function openStore(storage: StorageConfig, options: OpenStoreOptions): Promise<OpenedStore> {
  return storage.driver === 'postgres' ? openPostgres(storage, options) : openSqlite(storage, options);
}

async function openSqlite(storage: StorageConfig, options: OpenStoreOptions): Promise<OpenedStore> {
  const db = openDatabase(storage.path, options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {});
  try {
    const migrated = migrateDatabase(db, migrations, storage.path);
    if (options.version) setAppMeta(db, 'last_version', options.version);
    const { store, close } = createClosableSqliteStore(db, { logger: options.logger });
    let closing: Promise<void> | undefined;
    return {
      store,
      dialect: 'sqlite',
      leadership: { isLeader: () => true, instanceId: options.instanceId },
      changes: createLocalChangeFeed({ logger: options.logger }),
      sqlite: db,
      migrated,
      async ping() {
        db.prepare('SELECT 1').get();
      },
      close: () =>
        (closing ??= close(options.closeTimeoutMs ?? 5_000).then(() => closeDatabase(db))),
    };
  } catch (err) {
    closeDatabase(db);
    throw err;
  }
}

async function openPostgres(storage: StorageConfig, options: OpenStoreOptions): Promise<OpenedStore> {
  const { logger } = options;
  if (!storage.url) throw new StoreError('storage.driver is postgres but storage.url is not set');
  const where = redactStorageUrl(storage.url);
  const pool = createPostgresPool(storage.url, { poolSize: storage.poolSize ?? 10, logger });
  const stops: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    // Leadership first, so another instance can take over at once; the pool last.
    for (const stop of stops.splice(0).reverse()) await stop().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'closing storage'));
  };
  stops.push(() => withTimeout(pool.end(), options.closeTimeoutMs ?? 5_000, 'closing the PostgreSQL pool').catch(() => undefined));
  try {
    const migrated = await migratePostgres(pool, migrations, where).catch((err: unknown) => {
      throw err instanceof StoreError ? err : new StoreError(`PostgreSQL at ${where}: ${(err as Error).message}`, { cause: err });
    });
    if (options.version) {
      await pool.query(
        "INSERT INTO app_meta (key, value, updated_at) VALUES ('last_version', $1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        [options.version, Date.now()],
      );
    }
    const changes = await createPgChangeFeed({ url: storage.url, logger, pool });
    stops.push(() => changes.close());
    const leadership = await createPgLeadership({ pool, instanceId: options.instanceId, logger });
    stops.push(() => leadership.close());
    logger.info({ storage: where, schema: migrated }, 'storage: PostgreSQL');
    let closing: Promise<void> | undefined;
    return {
      store: createPostgresStore(pool, { logger }),
      dialect: 'postgres',
      leadership,
      changes,
      migrated,
      async ping() {
        await withTimeout(pool.query('SELECT 1'), PING_TIMEOUT_MS, 'PostgreSQL did not answer SELECT 1');
      },
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
