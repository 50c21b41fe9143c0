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

/** The refusal both engines give for a schema newer than this release knows. */
export function newerSchemaError(where: string, found: number, known: number): StoreError {
  return new StoreError(
    `${where} was written by a newer kaltura-discord (schema ${found}; this version knows ${known}). ` +
      'Run the newer release, or restore a backup made by this one.',
  );
}

/**
 * Applies the pending migrations to a SQLite database in one transaction (all or nothing) and
 * records the new version in `PRAGMA user_version`. A database written by a newer release is
 * refused rather than guessed at. (PostgreSQL: migrate-postgres.ts.)
 */
export function migrateDatabase(db: Database, migrations: readonly Migration[], file: string): MigrationResult {
  const from = schemaVersion(db);
  if (from > migrations.length) throw newerSchemaError(file, from, migrations.length);
  if (from === migrations.length) return { from, to: from };
  db.transaction(() => {
    for (let i = from; i < migrations.length; i++) db.exec(migrations[i]!.sql);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
  return { from, to: migrations.length };
}
