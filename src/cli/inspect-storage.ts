/**
 * The configured storage opened for looking at (doctor): NOT migrated (doctor reports what the
 * next `serve` would do instead of doing it), small, and closed by the caller.
 */
import fs from 'node:fs';
import type { Config } from '../config/config-types';
import type { Store } from '../core/ports/store';
import { loadSqliteBinding } from '../native/sqlite-binding';
import { schemaVersion } from '../store/migrate-database';
import { closeDatabase, openDatabase } from '../store/open-database';
import { redactStorageUrl } from '../store/redact-storage-url';
import type { SqlExecutor } from '../store/sql/sql-executor';
import { createSqliteExecutor } from '../store/sql/sqlite-executor';
import { createSqliteStore } from '../store/sql/sqlite-store';
import { withTimeout } from '../store/with-timeout';

export interface InspectedStorage {
  readonly dialect: 'sqlite' | 'postgres';
  /** The file, or the URL without its password. */
  readonly where: string;
  readonly version: number;
  readonly store: Store;
  /** Each statement on its own (doctor's own read-only queries). */
  readonly sql: SqlExecutor;
  /** The SQLite file's size in bytes. */
  readonly fileBytes?: number;
  /** Proves the database accepts writes, without changing anything that stays. */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}

/** undefined: a SQLite file that does not exist yet (the first serve creates it). */
export async function inspectStorage(config: Config, env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<InspectedStorage | undefined> {
  const storage = config.storage;
  if (storage.driver === 'postgres') {
    // Loaded only for PostgreSQL storage: `pg` stays out of every other CLI start.
    const [{ postgresSchemaVersion }, { createPostgresPool }, { createPoolExecutor }, { createPostgresStore }, { holdClient }] = await Promise.all([
      import('../store/migrate-postgres'),
      import('../store/sql/create-postgres-pool'),
      import('../store/sql/pool-executor'),
      import('../store/sql/postgres-store'),
      import('../store/sql/hold-client'),
    ]);
    const where = redactStorageUrl(storage.url ?? '');
    const pool = createPostgresPool(storage.url ?? '', { poolSize: 2, logger: { warn: () => undefined }, connectTimeoutMs: timeoutMs });
    const close = () => withTimeout(pool.end(), 5_000, 'closing the PostgreSQL pool').catch(() => undefined);
    try {
      const version = await postgresSchemaVersion(pool);
      return {
        dialect: 'postgres',
        where,
        version,
        store: createPostgresStore(pool),
        sql: createPoolExecutor(pool),
        probeWrite: async () => {
          // A temporary table lives in this session only and is dropped with it.
          const client = await pool.connect();
          const held = holdClient(client);
          try {
            await client.query('CREATE TEMP TABLE doctor_write_probe (x INTEGER)');
            await client.query('DROP TABLE doctor_write_probe');
          } finally {
            held.release();
          }
        },
        close,
      };
    } catch (err) {
      await close();
      throw new Error(`PostgreSQL at ${where}: ${(err as Error).message}`, { cause: err });
    }
  }
  const file = storage.path;
  if (!fs.existsSync(file)) return undefined;
  const db = openDatabase(file, { nativeBinding: loadSqliteBinding(env) });
  return {
    dialect: 'sqlite',
    where: file,
    version: schemaVersion(db),
    store: createSqliteStore(db),
    sql: createSqliteExecutor(db, { open: true }),
    fileBytes: fs.statSync(file).size,
    probeWrite: async () => {
      db.prepare('CREATE TEMP TABLE IF NOT EXISTS doctor_write_probe (x INTEGER)').run();
    },
    close: async () => closeDatabase(db),
  };
}
