/**
 * Where per-server settings live (SQLite or PostgreSQL). Values are JSON-compatible; `undefined`
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
  list(guildId: string): Promise<StoredSetting[]>;
  /**
   * Writes the values (or deletes them, for `newValue: undefined`) and one audit row each. Atomic:
   * the caller's transaction covers every statement (a top-level call is its own transaction).
   */
  apply(guildId: string, changes: readonly SettingChange[], actor: string, at: number): Promise<void>;
  /**
   * Makes other writers of this server's settings wait until the caller's transaction ends, so a
   * read-then-write (the audit's old value) cannot interleave with another instance's
   * (PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE already serialises).
   */
  lockGuild(guildId: string): Promise<void>;
  /** Newest first. */
  audit(guildId: string, limit: number): Promise<SettingsAuditEntry[]>;
  /**
   * SQLite: a number that changes when another connection (the CLI, while `serve` runs) committed
   * to the file, so cached lookups can be dropped; this connection's own writes leave it alone.
   * PostgreSQL: always 0 (every writer publishes on the ChangeFeed instead).
   */
  revision(): Promise<number>;
}
