import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './store-error';

export interface OpenDatabaseOptions {
  /** The better-sqlite3 addon object (single executable); undefined lets the package find its own. */
  readonly nativeBinding?: object;
  readonly readonly?: boolean;
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating the folder with 0700 and the file with 0600) and sets the pragmas every
 * connection needs: WAL so readers never block the writer, foreign keys enforced, a busy
 * timeout instead of immediate SQLITE_BUSY, and NORMAL sync (durable with WAL at commit
 * boundaries except on power loss).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  const dir = path.dirname(file);
  try {
    if (!options.readonly) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Create the file ourselves so it is 0600 from its first byte (SQLite would honour the umask).
    if (!options.readonly && !fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
    const db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      // better-sqlite3 12 accepts the addon object; its typings only know the string form.
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding as unknown as string } : {}),
    });
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'SQLITE_CANTOPEN'
        ? 'cannot open it: check that the folder exists and is writable by this user'
        : code === 'SQLITE_NOTADB'
          ? 'it is not a SQLite database'
          : (err as Error).message;
    throw new StoreError(`database ${file}: ${why}`, { cause: err });
  }
}

/** Checkpoints the WAL into the main file (so a copy of the .db alone is complete) and closes. */
export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  try {
    if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
