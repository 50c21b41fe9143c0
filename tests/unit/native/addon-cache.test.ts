import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareSqliteAddon, SqliteAddonError } from '../../../src/native/addon-cache';
import { useTempDirs } from '../../helpers/temp-dir';

/** The real addon (what the executable embeds), and a same-size impostor. */
const ADDON = fs.readFileSync(path.join(__dirname, '../../../node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
const SHA = createHash('sha256').update(ADDON).digest('hex');
const impostor = () => Buffer.alloc(ADDON.byteLength, 0x90);
const isRoot = process.getuid?.() === 0;

describe('the SQLite addon cache of the single executable', () => {
  const tempDir = useTempDirs();
  const setup = () => {
    const root = path.join(tempDir(), 'cache');
    return { root, env: { KALTURA_DISCORD_CACHE_DIR: root }, file: path.join(root, `better-sqlite3-${SHA.slice(0, 16)}`, 'better_sqlite3.node') };
  };

  it('extracts into a private folder and hands back a file with the recorded SHA-256', () => {
    const { root, env, file } = setup();
    const addon = prepareSqliteAddon(ADDON, env, SHA);
    expect(addon.file).toBe(file);
    expect(fs.statSync(root).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file).equals(ADDON)).toBe(true);
    expect(prepareSqliteAddon(ADDON, env, SHA).file).toBe(file); // found again, verified again
  });

  it('refuses a planted impostor of the same size, with a clear message, and does not overwrite it', () => {
    const { env, file } = setup();
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, impostor(), { mode: 0o755 });
    expect(() => prepareSqliteAddon(ADDON, env, SHA)).toThrow(SqliteAddonError);
    expect(() => prepareSqliteAddon(ADDON, env, SHA)).toThrow(/^refusing to load .*better_sqlite3\.node: its SHA-256 \([0-9a-f]{16}…\) is not that of the addon built into this executable .*delete it \(rm -f /);
    expect(fs.readFileSync(file).equals(impostor())).toBe(true); // evidence left in place
  });

  it('refuses a cache folder that other users can write to', () => {
    const { root, env } = setup();
    fs.mkdirSync(root, { recursive: true });
    fs.chmodSync(root, 0o777);
    expect(() => prepareSqliteAddon(ADDON, env, SHA)).toThrow(/can be written by other users \(mode 777\); refusing to load code from it/);
  });

  it.runIf(isRoot)('refuses a cache folder owned by another user', () => {
    const { root, env } = setup();
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
    fs.chownSync(root, 65534, 65534);
    expect(() => prepareSqliteAddon(ADDON, env, SHA)).toThrow(/belongs to user 65534, not to this user \(0\); refusing to load code from it/);
  });

  it('refuses a cache reached through a symbolic link or below a folder others can change', () => {
    const { root, env } = setup();
    const elsewhere = tempDir();
    fs.mkdirSync(path.dirname(root), { recursive: true });
    fs.symlinkSync(elsewhere, root);
    expect(() => prepareSqliteAddon(ADDON, env, SHA)).toThrow(/is not a plain folder/);
    const shared = path.join(tempDir(), 'shared');
    fs.mkdirSync(shared, { mode: 0o777 });
    fs.chmodSync(shared, 0o777);
    expect(() => prepareSqliteAddon(ADDON, { KALTURA_DISCORD_CACHE_DIR: path.join(shared, 'cache') }, SHA)).toThrow(/above the SQLite addon cache can be changed by another user/);
  });

  it('refuses a cache whose path goes through a symbolic link to a folder below one others can change', () => {
    const shared = path.join(tempDir(), 'shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777); // not sticky: anyone may rename what is inside
    const target = path.join(shared, 'mine');
    fs.mkdirSync(target, { mode: 0o700 });
    const home = tempDir();
    fs.symlinkSync(target, path.join(home, '.cache'));
    const prepare = () => prepareSqliteAddon(ADDON, { KALTURA_DISCORD_CACHE_DIR: path.join(home, '.cache', 'kaltura-discord') }, SHA);
    expect(prepare).toThrow(SqliteAddonError);
    expect(prepare).toThrow(`the folder ${fs.realpathSync(shared)} above the SQLite addon cache can be changed by another user`);
  });

  it('never uses the old predictable /tmp path: an unusable cache falls back to a fresh private folder, removed after loading', () => {
    const planted = path.join(os.tmpdir(), `kaltura-discord-${process.getuid?.() ?? 'u'}`, `better-sqlite3-${SHA.slice(0, 16)}`, 'better_sqlite3.node');
    const plantedBefore = fs.existsSync(planted);
    const notAFolder = path.join(tempDir(), 'file');
    fs.writeFileSync(notAFolder, 'x');
    const addon = prepareSqliteAddon(ADDON, { KALTURA_DISCORD_CACHE_DIR: path.join(notAFolder, 'cache') }, SHA);
    expect(addon.file).not.toBe(planted);
    expect(path.basename(path.dirname(addon.file))).toMatch(/^kaltura-discord-[A-Za-z0-9]{6}$/);
    expect(fs.statSync(path.dirname(addon.file)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(addon.file).equals(ADDON)).toBe(true);
    addon.release();
    expect(fs.existsSync(path.dirname(addon.file))).toBe(false);
    expect(fs.existsSync(planted)).toBe(plantedBefore);
  });

  it('refuses embedded bytes that do not match the recorded SHA-256 (a damaged executable)', () => {
    const { env } = setup();
    expect(() => prepareSqliteAddon(impostor(), env, SHA)).toThrow(/does not match its recorded SHA-256/);
  });
});
