import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error';

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly pages: number;
}

/**
 * A consistent copy of a live database through SQLite's online backup API (writers may go on
 * meanwhile). Written to a temporary name and renamed, so a failed backup never leaves a
 * truncated file where a good one is expected; mode 0600 because the state is private.
 */
export async function backupDatabase(db: Database, target: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
  const file = path.resolve(target);
  if (!options.overwrite && fs.existsSync(file)) {
    throw new StoreError(`${file} already exists; choose another name or pass --force`);
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  try {
    const { totalPages } = await db.backup(tmp);
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
    return { file, bytes: fs.statSync(file).size, pages: totalPages };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if (err instanceof StoreError) throw err;
    throw new StoreError(`backup to ${file} failed: ${(err as Error).message}`, { cause: err });
  }
}
