/**
 * Where the single executable puts its SQLite addon before `dlopen`: code that runs inside the
 * bot with access to its secrets, so nobody else may be able to choose or change that file.
 *  - the folder is private: created 0700, owned by this user, not writable by group or others,
 *    and so is every folder above it (or root's, or sticky like /tmp);
 *  - the file is loaded only when its SHA-256 is the one recorded at build time;
 *  - there is no shared, predictable fallback (`/tmp/kaltura-discord-<uid>` let another local user
 *    plant a library): when the cache cannot be used, a fresh mkdtemp folder is used once and removed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SQLITE_ADDON_ASSET = 'better_sqlite3.node';

/** The addon cannot be used safely; the message says what was found and what to do. */
export class SqliteAddonError extends Error {
  override readonly name = 'SqliteAddonError';
}

export interface PreparedAddon {
  /** The file to `dlopen`. */
  readonly file: string;
  /** Removes a one-off folder once the addon is loaded (Linux keeps the mapping); no-op for the cache. */
  readonly release: () => void;
}

/** `$KALTURA_DISCORD_CACHE_DIR`, else `$XDG_CACHE_HOME/kaltura-discord`, else `~/.cache/kaltura-discord`. */
export function addonCacheRoot(env: NodeJS.ProcessEnv): string {
  if (env.KALTURA_DISCORD_CACHE_DIR) return path.resolve(env.KALTURA_DISCORD_CACHE_DIR);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kaltura-discord');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const uid = () => process.getuid?.() ?? -1;

/** Refuses a folder another user could write into (or swap): the attack this module exists for. */
function assertPrivate(dir: string, what: string): void {
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new SqliteAddonError(`${what} ${dir} is not a plain folder (a symbolic link?); refusing to load code from it`);
  if (uid() >= 0 && st.uid !== uid()) throw new SqliteAddonError(`${what} ${dir} belongs to user ${st.uid}, not to this user (${uid()}); refusing to load code from it. Remove it, or set KALTURA_DISCORD_CACHE_DIR to a folder of your own`);
  if (st.mode & 0o022) throw new SqliteAddonError(`${what} ${dir} can be written by other users (mode ${(st.mode & 0o777).toString(8)}); refusing to load code from it. Run: chmod 700 ${dir}`);
}

/** Every folder above must be ours or root's, and not writable by others unless sticky (/tmp). */
function assertSafeAncestors(dir: string): void {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const st = fs.statSync(d);
    const ownerOk = st.uid === 0 || uid() < 0 || st.uid === uid();
    const writableByOthers = (st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0;
    if (!ownerOk || writableByOthers) {
      throw new SqliteAddonError(`the folder ${d} above the SQLite addon cache can be changed by another user; refusing to load code below it. Set KALTURA_DISCORD_CACHE_DIR to a private folder`);
    }
    if (d === path.dirname(d)) return;
  }
}

function writeAtomic(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`; // safe with concurrent first starts
  fs.writeFileSync(tmp, bytes, { mode: 0o500, flag: 'wx' });
  fs.renameSync(tmp, file);
}

/** The cached file, verified; written first when missing. Throws SqliteAddonError on anything suspicious. */
function fromCache(root: string, bytes: Uint8Array, expected: string): string {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  assertPrivate(root, 'the SQLite addon cache');
  // The folders the path really goes through: a symbolic link above the cache (~/.cache -> a
  // folder in a shared place) must not hide a folder another user can rename and replace.
  const real = fs.realpathSync(root);
  assertSafeAncestors(real);
  const dir = path.join(real, `better-sqlite3-${expected.slice(0, 16)}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertPrivate(dir, 'the SQLite addon folder');
  const file = path.join(dir, SQLITE_ADDON_ASSET);
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) writeAtomic(file, bytes);
  else if (!st.isFile() || (uid() >= 0 && st.uid !== uid()) || st.mode & 0o022) {
    throw new SqliteAddonError(`${file} is not a private file of this user; refusing to load it. Delete it (rm -f ${file}) and start again`);
  }
  const found = sha256(fs.readFileSync(file));
  if (found !== expected) {
    throw new SqliteAddonError(
      `refusing to load ${file}: its SHA-256 (${found.slice(0, 16)}…) is not that of the addon built into this executable (${expected.slice(0, 16)}…). ` +
        `Someone or something replaced it; delete it (rm -f ${file}) and start again`,
    );
  }
  return file;
}

/**
 * Writes (or finds) the addon and verifies it. `expectedSha256` is recorded at build time; the
 * embedded bytes must match it too, so a damaged executable is caught as well.
 */
export function prepareSqliteAddon(bytes: Uint8Array, env: NodeJS.ProcessEnv, expectedSha256?: string): PreparedAddon {
  const expected = expectedSha256 || sha256(bytes);
  if (sha256(bytes) !== expected) throw new SqliteAddonError('the SQLite addon embedded in this executable does not match its recorded SHA-256: the download is damaged; download it again');
  const root = addonCacheRoot(env);
  try {
    return { file: fromCache(root, bytes, expected), release: () => undefined };
  } catch (err) {
    if (err instanceof SqliteAddonError) throw err; // suspicious: never fall back quietly
    // The cache cannot be created (read-only or missing HOME): a fresh private folder, used once.
    const once = fs.mkdtempSync(path.join(os.tmpdir(), 'kaltura-discord-'));
    try {
      const file = path.join(once, SQLITE_ADDON_ASSET);
      writeAtomic(file, bytes);
      if (sha256(fs.readFileSync(file)) !== expected) throw new SqliteAddonError(`${file} changed while being written; refusing to load it`);
      return { file, release: () => fs.rmSync(once, { recursive: true, force: true }) };
    } catch (inner) {
      fs.rmSync(once, { recursive: true, force: true });
      if (inner instanceof SqliteAddonError) throw inner;
      throw new SqliteAddonError(`cannot write the SQLite addon to ${root} (${(err as Error).message}) nor to a temporary folder (${(inner as Error).message}); set KALTURA_DISCORD_CACHE_DIR to a private folder on a file system that allows executables`);
    }
  }
}
