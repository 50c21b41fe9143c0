/**
 * Per-server settings and their audit trail. A change and its audit row are written by one
 * `apply`, which runs inside one transaction (the caller's, or its own when called on the store),
 * so the trail never misses (or invents) a change.
 */
import type { GuildSettingsRepo, SettingChange, SettingsAuditEntry, StoredSetting } from '../core/ports/settings-repo';
import type { SqlExecutor } from './sql/sql-executor';

interface SettingRow {
  key: string;
  value: string;
  updated_at: number;
  updated_by: string;
}

interface AuditRow {
  guild_id: string;
  key: string;
  old_value: string | null;
  new_value: string | null;
  actor: string;
  at: number;
}

const toJson = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const fromJson = (v: string | null): unknown => (v === null ? undefined : JSON.parse(v));

const UPSERT =
  'INSERT INTO guild_settings (guild_id, key, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by';

export async function listGuildSettings(sql: SqlExecutor, guildId: string): Promise<StoredSetting[]> {
  const rows = await sql.all<SettingRow>('SELECT key, value, updated_at, updated_by FROM guild_settings WHERE guild_id = ? ORDER BY key', [guildId]);
  return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value), updatedAt: r.updated_at, updatedBy: r.updated_by }));
}

/** Several statements: atomic only inside a transaction (see the contract of `GuildSettingsRepo.apply`). */
export async function applyGuildSettings(sql: SqlExecutor, guildId: string, changes: readonly SettingChange[], actor: string, at: number): Promise<void> {
  for (const c of changes) {
    if (c.newValue === undefined) await sql.run('DELETE FROM guild_settings WHERE guild_id = ? AND key = ?', [guildId, c.key]);
    else await sql.run(UPSERT, [guildId, c.key, JSON.stringify(c.newValue), at, actor]);
    await sql.run('INSERT INTO settings_audit (guild_id, key, old_value, new_value, actor, at) VALUES (?, ?, ?, ?, ?, ?)', [guildId, c.key, toJson(c.oldValue), toJson(c.newValue), actor, at]);
  }
}

export async function listSettingsAudit(sql: SqlExecutor, guildId: string, limit: number): Promise<SettingsAuditEntry[]> {
  const rows = await sql.all<AuditRow>('SELECT guild_id, key, old_value, new_value, actor, at FROM settings_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?', [guildId, limit]);
  return rows.map((r) => ({ guildId: r.guild_id, key: r.key, oldValue: fromJson(r.old_value), newValue: fromJson(r.new_value), actor: r.actor, at: r.at }));
}

/** Advisory lock class of settings writes (two-int form: apart from the single-bigint locks of leadership and migrations). */
const SETTINGS_LOCK_CLASS = 4_004;

async function lockGuild(sql: SqlExecutor, guildId: string): Promise<void> {
  if (sql.dialect === 'postgres') await sql.get('SELECT pg_advisory_xact_lock(?, hashtext(?)) AS locked', [SETTINGS_LOCK_CLASS, guildId]);
}

/** SQLite bumps `data_version` when another connection commits; this connection's own writes leave it alone. */
async function revision(sql: SqlExecutor): Promise<number> {
  if (sql.dialect !== 'sqlite') return 0;
  const row = await sql.get<{ data_version: number }>('PRAGMA data_version');
  return row?.data_version ?? 0;
}

/** The repository the store hands out as `settings` (createRepositories). */
export function createGuildSettingsRepo(sql: SqlExecutor): GuildSettingsRepo {
  return {
    list: (guildId) => listGuildSettings(sql, guildId),
    apply: (guildId, changes, actor, at) => applyGuildSettings(sql, guildId, changes, actor, at),
    lockGuild: (guildId) => lockGuild(sql, guildId),
    audit: (guildId, limit) => listSettingsAudit(sql, guildId, limit),
    revision: () => revision(sql),
  };
}
