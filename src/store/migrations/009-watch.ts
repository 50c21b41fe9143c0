import type { Migration } from './migration';

/**
 * The video library (issue 12).
 *
 * - `watch_links`: personal `/v/<token>` links, so each is used once. `token_id` is the token's
 *   `jti`; `role_ids` a JSON array of the member's Discord role ids when the link was issued (the
 *   recording's channel visibility is checked again with them when it is redeemed); `used_at` is
 *   NULL until used. Rows are forgotten an hour after they expire (when a new link is issued), as
 *   an expired token is refused before the ledger is read.
 * - `activity_launches`: the entry a member asked to "Watch together" in a channel, written before
 *   Discord launches the Activity and taken once by that member's session; one per
 *   (user, guild, channel), the newest; forgotten after 5 minutes (when a new one is written).
 * Times are epoch ms.
 */
export const watch: Migration = {
  name: 'watch',
  sql: `
    CREATE TABLE watch_links (
      token_id   TEXT PRIMARY KEY NOT NULL,
      guild_id   TEXT NOT NULL,
      user_id    TEXT NOT NULL,
      entry_id   TEXT NOT NULL,
      role_ids   TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at    INTEGER
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX watch_links_expires ON watch_links (expires_at);
    CREATE TABLE activity_launches (
      user_id    TEXT NOT NULL,
      guild_id   TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      entry_id   TEXT NOT NULL,
      at         INTEGER NOT NULL,
      PRIMARY KEY (user_id, guild_id, channel_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX activity_launches_at ON activity_launches (at);
  `,
};
