import type { Migration } from './migration';

/**
 * Recordings found through a template entry, and a Kaltura category per Discord server.
 *
 * - `meetings.template_entry_id`: the media entry created for the meeting and passed as the
 *   session's `templateEntryId`; Kaltura creates each recording from it (rootEntryId = it), which
 *   is the only thing a recording is matched by. `meetings.category_id`: the server's category
 *   the template (and so each recording) was put in.
 * - `meeting_recordings`: every recording found for a meeting (a room that restarted records
 *   more than once); the primary key makes announcing one recording twice impossible. Filled
 *   from `recording_entry_id` for meetings recorded before this migration.
 * - `guild_categories`: the category found or created for a server under `kaltura.categoryRoot`
 *   on its first meeting (an admin's `kaltura.categoryId` setting takes precedence and lives in
 *   `guild_settings`). Times are epoch ms.
 */
export const recordingTemplates: Migration = {
  name: 'recording-templates',
  sql: `
    ALTER TABLE meetings ADD COLUMN template_entry_id TEXT;
    ALTER TABLE meetings ADD COLUMN category_id INTEGER;
    CREATE INDEX meetings_template_entry ON meetings (template_entry_id) WHERE template_entry_id IS NOT NULL;
    CREATE INDEX meetings_ended_with_template ON meetings (ended_at) WHERE status = 'ended' AND template_entry_id IS NOT NULL;

    CREATE TABLE meeting_recordings (
      meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
      entry_id   TEXT NOT NULL,
      found_at   INTEGER NOT NULL,
      PRIMARY KEY (meeting_id, entry_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO meeting_recordings (meeting_id, entry_id, found_at)
      SELECT id, recording_entry_id, COALESCE(ended_at, created_at) FROM meetings WHERE recording_entry_id IS NOT NULL;

    CREATE TABLE guild_categories (
      guild_id    TEXT PRIMARY KEY NOT NULL,
      category_id INTEGER NOT NULL,
      full_name   TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
  `,
};
