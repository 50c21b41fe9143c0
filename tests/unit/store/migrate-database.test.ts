import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAppMeta } from '../../../src/store/app-meta';
import { backupDatabase } from '../../../src/store/backup-database';
import { migrateDatabase, schemaVersion } from '../../../src/store/migrate-database';
import type { Migration } from '../../../src/store/migrations/migration';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { useTempDirs } from '../../helpers/temp-dir';

describe('the SQLite store', () => {
  const tempDir = useTempDirs();

  it('creates a private file in WAL mode with foreign keys and a busy timeout', () => {
    const file = path.join(tempDir(), 'nested', 'state.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    closeDatabase(db);
  });

  it('applies migrations once, records the version, and keeps data across reopen', () => {
    const file = path.join(tempDir(), 'state.db');
    let db = openDatabase(file);
    expect(migrateDatabase(db, migrations, file)).toEqual({ from: 0, to: migrations.length });
    const id = getAppMeta(db, 'installation_id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    closeDatabase(db);
    db = openDatabase(file);
    expect(migrateDatabase(db, migrations, file)).toEqual({ from: migrations.length, to: migrations.length });
    expect(getAppMeta(db, 'installation_id')).toBe(id);
    closeDatabase(db);
  });

  it('rolls back every step of a failed migration run', () => {
    const file = path.join(tempDir(), 'state.db');
    const db = openDatabase(file);
    const broken: Migration = { name: 'broken', sql: 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);' };
    expect(() => migrateDatabase(db, [...migrations, broken], file)).toThrow(/no such table: nowhere/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('app_meta', 'half')").get()).toEqual({ n: 0 });
    closeDatabase(db);
  });

  it('refuses a database written by a newer release, and leaves it alone', () => {
    const file = path.join(tempDir(), 'state.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${migrations.length + 3}`);
    expect(() => migrateDatabase(db, migrations, file)).toThrow(
      `${file} was written by a newer kaltura-discord (schema ${migrations.length + 3}; this version knows ${migrations.length}). Run the newer release, or restore a backup made by this one.`,
    );
    expect(schemaVersion(db)).toBe(migrations.length + 3);
    closeDatabase(db);
  });

  it('checkpoints the WAL on close so the .db file alone is complete', () => {
    const file = path.join(tempDir(), 'state.db');
    const db = openDatabase(file);
    migrateDatabase(db, migrations, file);
    closeDatabase(db);
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
    const copy = path.join(path.dirname(file), 'copy.db');
    fs.copyFileSync(file, copy);
    const reopened = openDatabase(copy, { readonly: true });
    expect(getAppMeta(reopened, 'installation_id')).toBeDefined();
    closeDatabase(reopened);
  });

  it('backs up a live database consistently, privately, and never over an existing file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'state.db');
    const db = openDatabase(file);
    migrateDatabase(db, migrations, file);
    db.exec('CREATE TABLE t (n INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => { for (let i = 0; i < 5000; i++) insert.run(i); })();
    const target = path.join(dir, 'backup.db');
    const result = await backupDatabase(db, target);
    expect(result.file).toBe(target);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    await expect(backupDatabase(db, target)).rejects.toThrow(/already exists; choose another name or pass --force/);
    closeDatabase(db);
    const copy = openDatabase(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n, sum(n) AS s FROM t').get()).toEqual({ n: 5000, s: (4999 * 5000) / 2 });
    closeDatabase(copy);
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
