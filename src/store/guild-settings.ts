/**
 * Per-server settings and their audit trail in SQLite. A change and its audit row are
 * written in one transaction, so the trail never misses (or invents) a change.
 */
import type { Database } from 'better-sqlite3';
import type { GuildSettingsRepo, SettingChange, SettingsAuditEntry, StoredSetting } from '../core/ports/settings-repo';
import { prepareCached } from './prepare-cached';

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

export function listGuildSettings(db: Database, guildId: string): StoredSetting[] {
  const rows = prepareCached(db, 'SELECT key, value, updated_at, updated_by FROM guild_settings WHERE guild_id = ? ORDER BY key').all(guildId) as SettingRow[];
  return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value), updatedAt: r.updated_at, updatedBy: r.updated_by }));
}

export function applyGuildSettings(db: Database, guildId: string, changes: readonly SettingChange[], actor: string, at: number): void {
  const upsert = prepareCached(
    db,
    'INSERT INTO guild_settings (guild_id, key, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
  );
  const remove = prepareCached(db, 'DELETE FROM guild_settings WHERE guild_id = ? AND key = ?');
  const audit = prepareCached(db, 'INSERT INTO settings_audit (guild_id, key, old_value, new_value, actor, at) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of changes) {
      if (c.newValue === undefined) remove.run(guildId, c.key);
      else upsert.run(guildId, c.key, JSON.stringify(c.newValue), at, actor);
      audit.run(guildId, c.key, toJson(c.oldValue), toJson(c.newValue), actor, at);
    }
  }).immediate();
}

export function listSettingsAudit(db: Database, guildId: string, limit: number): SettingsAuditEntry[] {
  const rows = prepareCached(db, 'SELECT guild_id, key, old_value, new_value, actor, at FROM settings_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?').all(guildId, limit) as AuditRow[];
  return rows.map((r) => ({ guildId: r.guild_id, key: r.key, oldValue: fromJson(r.old_value), newValue: fromJson(r.new_value), actor: r.actor, at: r.at }));
}

/** The repository the core's `createGuildSettings` takes. */
export function createGuildSettingsRepo(db: Database): GuildSettingsRepo {
  const dataVersion = prepareCached(db, 'PRAGMA data_version').pluck();
  return {
    list: (guildId) => listGuildSettings(db, guildId),
    apply: (guildId, changes, actor, at) => applyGuildSettings(db, guildId, changes, actor, at),
    audit: (guildId, limit) => listSettingsAudit(db, guildId, limit),
    // SQLite bumps it when another connection commits; this connection's own writes leave it alone.
    revision: () => dataVersion.get() as number,
  };
}
