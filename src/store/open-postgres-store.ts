/** openStore's PostgreSQL half, in its own module so `pg` loads only for storage.driver postgres. */
import type { StorageConfig } from '../config/config-types';
import { migratePostgres } from './migrate-postgres';
import { migrations } from './migrations/index';
import type { OpenedStore, OpenStoreOptions } from './open-store';
import { createPgChangeFeed } from './postgres/pg-change-feed';
import { createPgLeadership } from './postgres/pg-leadership';
import { redactStorageUrl } from './redact-storage-url';
import { createPostgresPool } from './sql/create-postgres-pool';
import { createPostgresStore } from './sql/postgres-store';
import { StoreError } from './store-error';
import { withTimeout } from './with-timeout';

const PING_TIMEOUT_MS = 5_000;

export async function openPostgresStore(storage: StorageConfig, options: OpenStoreOptions): Promise<OpenedStore> {
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
