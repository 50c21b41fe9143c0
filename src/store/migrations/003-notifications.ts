import type { Migration } from './migration';

/**
 * Notifications: the recording columns of a meeting, the webhook inbox and the outbox of
 * Discord messages. Times are epoch ms.
 *
 * - `webhook_inbox.dedupe_key` is `job:<eventNotificationJobId>` (or `sha256:<raw body>` when a
 *   body carries no job id): a redelivery is one failed INSERT, never a second event.
 * - `outbox.dedupe_key` names what caused the message (`recording:<meetingId>`…), so one cause
 *   can enqueue one message; `nonce` (≤ 25 chars, Discord's limit) is sent on every attempt so
 *   Discord returns the message it already has instead of posting it twice.
 * - `meetings.recording_checked_at` orders the fallback poller (oldest check first).
 */
export const notifications: Migration = {
  name: 'notifications',
  sql: `
    ALTER TABLE meetings ADD COLUMN recording_entry_id TEXT;
    ALTER TABLE meetings ADD COLUMN recording_url TEXT;
    ALTER TABLE meetings ADD COLUMN recording_checked_at INTEGER;
    CREATE INDEX meetings_room_token ON meetings (room_token) WHERE room_token IS NOT NULL;
    CREATE INDEX meetings_event ON meetings (event_id) WHERE event_id IS NOT NULL;
    CREATE INDEX meetings_awaiting_recording ON meetings (ended_at) WHERE status = 'ended' AND recording_entry_id IS NULL;

    CREATE TABLE webhook_inbox (
      id              INTEGER PRIMARY KEY,
      dedupe_key      TEXT NOT NULL UNIQUE,
      kind            TEXT NOT NULL,
      payload         TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error      TEXT,
      received_at     INTEGER NOT NULL,
      processed_at    INTEGER
    ) STRICT;
    CREATE INDEX webhook_inbox_due ON webhook_inbox (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_inbox_received ON webhook_inbox (received_at);

    CREATE TABLE outbox (
      id              INTEGER PRIMARY KEY,
      channel_id      TEXT NOT NULL,
      body            TEXT NOT NULL,
      nonce           TEXT NOT NULL UNIQUE CHECK (length(nonce) BETWEEN 1 AND 25),
      dedupe_key      TEXT NOT NULL UNIQUE,
      status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error      TEXT,
      created_at      INTEGER NOT NULL,
      sent_at         INTEGER,
      message_id      TEXT
    ) STRICT;
    CREATE INDEX outbox_pending ON outbox (channel_id, id) WHERE status = 'pending';
    CREATE INDEX outbox_created ON outbox (created_at);
  `,
};
