import type { Migration } from './migration';

/**
 * Durable work against Kaltura that must happen even if the bot crashes or Kaltura is down:
 * ending a session in Kaltura, removing the room and the template entry once a meeting is
 * over (after the retention), and sweeping what a failed or timed-out start left behind.
 *
 * - One row per (kind, object_id): enqueueing the same work twice is a no-op.
 * - `done_at` NULL = pending. A job is never deleted while pending; a failing one keeps its
 *   `attempts` and `last_error` for `doctor`, and is retried with backoff (`due_at`).
 * - Times are epoch ms. `meeting_id` is ours (`m_…`), kept for the log and for doctor.
 * - Meetings already over when this runs get their room's removal queued (7 days after their end).
 */
export const kalturaCleanupJobs: Migration = {
  name: 'kaltura-cleanup-jobs',
  sql: `
    CREATE TABLE kaltura_cleanup_jobs (
      id          INTEGER PRIMARY KEY,
      kind        TEXT NOT NULL CHECK (kind IN ('end-event', 'discard-start', 'delete-resource', 'delete-entry')),
      object_id   TEXT NOT NULL,
      meeting_id  TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      due_at      INTEGER NOT NULL,
      attempts    INTEGER NOT NULL DEFAULT 0,
      last_error  TEXT,
      last_try_at INTEGER,
      done_at     INTEGER,
      UNIQUE (kind, object_id)
    ) STRICT;
    CREATE INDEX kaltura_cleanup_jobs_due ON kaltura_cleanup_jobs (due_at) WHERE done_at IS NULL;

    -- Rooms of meetings that were over before this version were never removed: queue them with
    -- the default retention (7 days after the end). One already gone counts as done.
    INSERT INTO kaltura_cleanup_jobs (kind, object_id, meeting_id, created_at, due_at)
      SELECT 'delete-resource', CAST(resource_id AS TEXT), id, CAST(unixepoch('subsec') * 1000 AS INTEGER),
             coalesce(ended_at, created_at) + 604800000
        FROM meetings
       WHERE status IN ('ended', 'failed') AND resource_id IS NOT NULL
      ON CONFLICT (kind, object_id) DO NOTHING;
  `,
};
