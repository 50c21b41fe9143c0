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
import { migrations } from './migrations/index';
import { closeDatabase, openDatabase } from './open-database';
import { createClosableSqliteStore } from './sql/sqlite-store';

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

export function openStore(storage: StorageConfig, options: OpenStoreOptions): Promise<OpenedStore> {
  // Loaded only when used: `pg` stays out of a SQLite instance's memory and start time.
  return storage.driver === 'postgres' ? import('./open-postgres-store').then((m) => m.openPostgresStore(storage, options)) : openSqlite(storage, options);
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
