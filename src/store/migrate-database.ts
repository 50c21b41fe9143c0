import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/migration';
import { StoreError } from './store-error';

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the pending migrations in one transaction (all or nothing) and records the new
 * version in `PRAGMA user_version`. A database written by a newer release is refused rather
 * than guessed at.
 */
export function migrateDatabase(db: Database, migrations: readonly Migration[], file: string): MigrationResult {
  const from = schemaVersion(db);
  if (from > migrations.length) {
    throw new StoreError(
      `${file} was written by a newer kaltura-discord (schema ${from}; this version knows ${migrations.length}). ` +
        'Run the newer release, or restore a backup made by this one.',
    );
  }
  if (from === migrations.length) return { from, to: from };
  db.transaction(() => {
    for (let i = from; i < migrations.length; i++) migrations[i]!.up(db);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
  return { from, to: migrations.length };
}
