import type { Migration } from './migration';

/**
 * Indexes for the retention job (`retention.*`), so pruning old history reads only what it deletes:
 * finished meetings by when they finished (`ended_at`, or `created_at` for a failed start), who
 * joined by when, and the settings audit by time.
 */
export const retentionIndexes: Migration = {
  name: 'retention-indexes',
  sql: `
    CREATE INDEX meetings_finished ON meetings (coalesce(ended_at, created_at)) WHERE status IN ('ended', 'failed');
    CREATE INDEX meeting_joins_joined ON meeting_joins (joined_at);
    CREATE INDEX settings_audit_at ON settings_audit (at);
  `,
};
