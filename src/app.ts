import type { Database } from 'better-sqlite3';
import type { Config } from './config/config-types';
import type { Logger } from './core/logger';
import { createHttpApp } from './http/create-http-app';
import { healthRoutes } from './http/health-routes';
import { startHttpServer, type RunningHttpServer } from './http/start-http-server';
import { migrateDatabase } from './store/migrate-database';
import { migrations } from './store/migrations/index';
import { closeDatabase, openDatabase } from './store/open-database';
import { setAppMeta } from './store/app-meta';
import { VERSION } from './version';

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The SQLite addon object when running as the single executable. */
  readonly sqliteBinding?: object;
  readonly now?: () => number;
}

export interface App {
  readonly config: Config;
  readonly db: Database;
  /** Starts serving; resolves with the URL actually listened on. */
  start(): Promise<{ url: string }>;
  /** Stops everything in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The composition root: config -> store -> (kaltura, core, discord: later) -> http.
 * Everything is built here and passed down; nothing is a module-level singleton.
 */
export function createApp(options: AppOptions): App {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const startedAt = now();

  const db = openDatabase(config.storage.path, { nativeBinding: options.sqliteBinding });
  try {
    const migrated = migrateDatabase(db, migrations, config.storage.path);
    if (migrated.to !== migrated.from) logger.info({ from: migrated.from, to: migrated.to, file: config.storage.path }, 'database migrated');
    setAppMeta(db, 'last_version', VERSION, now());
  } catch (err) {
    closeDatabase(db);
    throw err;
  }

  const readiness = () => {
    try {
      db.prepare('SELECT 1').get();
      return { database: { ok: true } };
    } catch (err) {
      return { database: { ok: false, reason: `database unusable: ${(err as Error).message}` } };
    }
  };
  const http = createHttpApp({ logger, routes: [healthRoutes({ version: VERSION, readiness, startedAt, now })] });

  let server: RunningHttpServer | undefined;
  let stopping: Promise<void> | undefined;
  return {
    config,
    db,
    async start() {
      server = await startHttpServer(http, config.http.host, config.http.port);
      logger.info({ url: server.url, publicUrl: config.http.publicUrl, version: VERSION }, `listening on ${server.url}`);
      return { url: server.url };
    },
    stop() {
      stopping ??= (async () => {
        await server?.close();
        closeDatabase(db);
      })();
      return stopping;
    },
  };
}
