/**
 * Where per-server settings live (SQLite in production). Values are JSON-compatible; `undefined`
 * for a value means "no server value: the YAML default applies".
 */
export interface StoredSetting {
  readonly key: string;
  readonly value: unknown;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

export interface SettingChange {
  readonly key: string;
  readonly oldValue: unknown;
  readonly newValue: unknown;
}

export interface SettingsAuditEntry extends SettingChange {
  readonly guildId: string;
  /** A Discord user id, or `cli:<os user>`. */
  readonly actor: string;
  readonly at: number;
}

export interface GuildSettingsRepo {
  /** This server's stored values. */
  list(guildId: string): StoredSetting[];
  /** Writes the values (or deletes them, for `newValue: undefined`) and one audit row each, in one transaction. */
  apply(guildId: string, changes: readonly SettingChange[], actor: string, at: number): void;
  /** Newest first. */
  audit(guildId: string, limit: number): SettingsAuditEntry[];
  /**
   * A number that changes when another connection (the CLI, while `serve` runs) wrote the
   * database, so cached lookups can be dropped. Writes made through this repo do not change it.
   */
  revision(): number;
}
