import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error';

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly pages: number;
}

export interface BackupProgress {
  /** The temporary file being written (renamed to the target at the end). */
  readonly partialFile: string;
  readonly totalPages: number;
  readonly remainingPages: number;
}

export interface BackupOptions {
  readonly overwrite?: boolean;
  /** Told after each step of the copy. */
  readonly onProgress?: (progress: BackupProgress) => void;
}

/** Pages copied per step; other writers get the database between steps. */
const PAGES_PER_STEP = 100;

/**
 * A consistent copy of a live database through SQLite's online backup API (writers may go on
 * meanwhile). Written to a temporary name and renamed, so a failed backup never leaves a
 * truncated file where a good one is expected. The temporary file is created empty with mode 0600
 * before SQLite writes a byte (SQLite keeps an existing file's mode, and gives its journal the
 * same), so the private state is never readable by others, whatever the umask.
 */
export async function backupDatabase(db: Database, target: string, options: BackupOptions = {}): Promise<BackupResult> {
  const file = path.resolve(target);
  if (!options.overwrite && fs.existsSync(file)) {
    throw new StoreError(`${file} already exists; choose another name or pass --force`);
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  try {
    fs.rmSync(tmp, { force: true }); // a leftover of a crashed backup: never reuse its mode or content
    const fd = fs.openSync(tmp, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      fs.fchmodSync(fd, 0o600); // the umask can only take bits away from `open`'s mode; make it exactly 0600
    } finally {
      fs.closeSync(fd);
    }
    const { totalPages } = await db.backup(tmp, {
      progress: ({ totalPages: total, remainingPages }) => {
        options.onProgress?.({ partialFile: tmp, totalPages: total, remainingPages });
        return PAGES_PER_STEP;
      },
    });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
    return { file, bytes: fs.statSync(file).size, pages: totalPages };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if (err instanceof StoreError) throw err;
    throw new StoreError(`backup to ${file} failed: ${(err as Error).message}`, { cause: err });
  }
}
