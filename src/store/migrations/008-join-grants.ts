import type { Migration } from './migration';

/**
 * What a join link stands for, kept here instead of in the token so the link stays short
 * whatever the member's name (a Discord link button's URL holds at most 512 characters):
 * the display name shown in the room and the member's role ids when the link was issued (the
 * meeting's channel visibility is checked again with them when it is redeemed).
 *
 * - `token_id` is the token's `jti`; `role_ids` a JSON array of Discord role ids. Times are epoch ms.
 * - Rows are pruned with the used tokens (`join_tokens`), after they expire.
 */
export const joinGrants: Migration = {
  name: 'join-grants',
  sql: `
    CREATE TABLE join_grants (
      token_id     TEXT PRIMARY KEY NOT NULL,
      meeting_id   TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
      user_id      TEXT NOT NULL,
      display_name TEXT NOT NULL,
      role_ids     TEXT NOT NULL,
      expires_at   INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX join_grants_expires ON join_grants (expires_at);
  `,
};
