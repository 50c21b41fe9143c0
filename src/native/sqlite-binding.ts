import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as sea from 'node:sea';

/** Set by the bundler for the single executable (names the extraction folder without hashing at start). */
declare const __SQLITE_ADDON_SHA256__: string | undefined;
export const SQLITE_ADDON_ASSET = 'better_sqlite3.node';

export function isSingleExecutable(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

function cacheRoots(env: NodeJS.ProcessEnv): string[] {
  const home = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const uid = process.getuid?.() ?? 'u';
  return [env.KALTURA_DISCORD_CACHE_DIR || path.join(home, 'kaltura-discord'), path.join(os.tmpdir(), `kaltura-discord-${uid}`)];
}

function writeExecutable(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`; // safe with concurrent first starts
  fs.writeFileSync(tmp, bytes, { mode: 0o755 });
  fs.renameSync(tmp, file);
}

/**
 * A SEA's `require` loads built-in modules only, so the better-sqlite3 addon travels as an
 * embedded asset and is written once to a per-version cache folder, then `dlopen`ed.
 * @see ../../shared/reference/packaging.md (runtime loader)
 */
function extractAddon(bytes: Uint8Array, env: NodeJS.ProcessEnv): string {
  const hash =
    typeof __SQLITE_ADDON_SHA256__ === 'string' ? __SQLITE_ADDON_SHA256__ : createHash('sha256').update(bytes).digest('hex');
  let lastErr: unknown;
  for (const root of cacheRoots(env)) {
    const file = path.join(root, `better-sqlite3-${hash.slice(0, 16)}`, SQLITE_ADDON_ASSET);
    try {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st || st.size !== bytes.byteLength) writeExecutable(file, bytes);
      return file;
    } catch (err) {
      lastErr = err; // an unwritable HOME: try the temp folder
    }
  }
  throw new Error(`cannot extract the SQLite addon (set KALTURA_DISCORD_CACHE_DIR to a writable, executable folder): ${String(lastErr)}`);
}

function dlopen(file: string): object {
  const mod = { exports: {} as object };
  process.dlopen(mod, file);
  return mod.exports;
}

/**
 * The native binding to hand to better-sqlite3: `$KALTURA_DISCORD_SQLITE_ADDON`, else the addon
 * embedded in the single executable, else undefined (development: better-sqlite3 finds its own).
 */
export function loadSqliteBinding(env: NodeJS.ProcessEnv): object | undefined {
  if (env.KALTURA_DISCORD_SQLITE_ADDON) return dlopen(path.resolve(env.KALTURA_DISCORD_SQLITE_ADDON));
  if (!isSingleExecutable()) return undefined;
  const raw = sea.getRawAsset(SQLITE_ADDON_ASSET);
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : new Uint8Array(raw);
  return dlopen(extractAddon(bytes, env));
}
