import type { Migration } from './migration';

/**
 * Meetings, the single-use ledger of join tokens, and who joined. Times are epoch ms.
 * `version`/`card_version` let the reconciler find cards that show an older state.
 */
export const meetings: Migration = {
  name: 'meetings',
  sql: `
    CREATE TABLE meetings (
      id               TEXT PRIMARY KEY NOT NULL,
      guild_id         TEXT NOT NULL,
      channel_id       TEXT NOT NULL,
      host_id          TEXT NOT NULL,
      host_name        TEXT NOT NULL,
      kind             TEXT NOT NULL CHECK (kind IN ('meeting', 'webinar', 'classroom')),
      title            TEXT NOT NULL,
      description      TEXT,
      duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
      record           INTEGER NOT NULL CHECK (record IN (0, 1)),
      status           TEXT NOT NULL CHECK (status IN ('starting', 'live', 'ended', 'failed')),
      created_at       INTEGER NOT NULL,
      resource_id      INTEGER,
      event_id         INTEGER,
      room_token       TEXT,
      starts_at        INTEGER,
      ends_at          INTEGER,
      ended_at         INTEGER,
      ended_by         TEXT,
      card_message_id  TEXT,
      version          INTEGER NOT NULL DEFAULT 0,
      card_version     INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX meetings_guild_status ON meetings (guild_id, status);
    CREATE INDEX meetings_status_ends ON meetings (status, ends_at);
    CREATE INDEX meetings_stale_cards ON meetings (created_at) WHERE card_message_id IS NOT NULL AND card_version < version;

    CREATE TABLE join_tokens (
      token_id    TEXT PRIMARY KEY NOT NULL,
      meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
      expires_at  INTEGER NOT NULL,
      consumed_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX join_tokens_expires ON join_tokens (expires_at);

    CREATE TABLE meeting_joins (
      meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
      user_id    TEXT NOT NULL,
      role       TEXT NOT NULL CHECK (role IN ('moderator', 'attendee')),
      joined_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX meeting_joins_meeting ON meeting_joins (meeting_id, joined_at);
  `,
};
