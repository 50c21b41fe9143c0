import path from 'node:path';
import * as sea from 'node:sea';
import { prepareSqliteAddon, SQLITE_ADDON_ASSET } from './addon-cache';

/** Set by the bundler for the single executable: the addon's SHA-256, checked before every load. */
declare const __SQLITE_ADDON_SHA256__: string | undefined;
export { SQLITE_ADDON_ASSET };

export function isSingleExecutable(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
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
  // One native library per process: later calls (doctor opens the database twice) reuse it.
  return (embedded ??= loadEmbedded(env));
}

let embedded: object | undefined;

function loadEmbedded(env: NodeJS.ProcessEnv): object {
  const raw = sea.getRawAsset(SQLITE_ADDON_ASSET);
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : new Uint8Array(raw);
  // The embedded asset is written to a private cache and verified against the build's SHA-256 (addon-cache.ts).
  const addon = prepareSqliteAddon(bytes, env, typeof __SQLITE_ADDON_SHA256__ === 'string' ? __SQLITE_ADDON_SHA256__ : undefined);
  try {
    return dlopen(addon.file);
  } finally {
    addon.release();
  }
}
