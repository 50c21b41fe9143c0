import type { Migration } from './migration';

/**
 * Per-server settings that admins change from Discord (or the operator with
 * `config set --guild`), layered over the YAML `defaults`, and their audit trail.
 *
 * - `guild_settings.value` / `settings_audit.old_value|new_value` are JSON; an audit value of
 *   NULL means "no server value" (the default applied before, or applies after).
 * - `actor` is a Discord user id, or `cli:<os user>` for the command line. Times are epoch ms.
 */
export const guildSettings: Migration = {
  name: 'guild-settings',
  sql: `
    CREATE TABLE guild_settings (
      guild_id   TEXT NOT NULL,
      key        TEXT NOT NULL,
      value      TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      updated_by TEXT NOT NULL,
      PRIMARY KEY (guild_id, key)
    ) STRICT;

    CREATE TABLE settings_audit (
      id        INTEGER PRIMARY KEY,
      guild_id  TEXT NOT NULL,
      key       TEXT NOT NULL,
      old_value TEXT,
      new_value TEXT,
      actor     TEXT NOT NULL,
      at        INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX settings_audit_guild ON settings_audit (guild_id, id);
  `,
};
