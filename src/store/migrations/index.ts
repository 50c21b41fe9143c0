import { initial } from './001-initial';
import { meetings } from './002-meetings';
import { notifications } from './003-notifications';
import { guildSettings } from './004-guild-settings';
import { recordingTemplates } from './005-recording-templates';
import { kalturaCleanupJobs } from './006-kaltura-cleanup-jobs';
import { retentionIndexes } from './007-retention-indexes';
import { joinGrants } from './008-join-grants';
import { watch } from './009-watch';
import { outboxLeases } from './010-outbox-leases';
import type { Migration } from './migration';

/**
 * Every migration, in order. Append only: a released migration is never edited or removed,
 * because `PRAGMA user_version` records how many of these a database has applied.
 */
export const migrations: readonly Migration[] = [initial, meetings, notifications, guildSettings, recordingTemplates, kalturaCleanupJobs, retentionIndexes, joinGrants, watch, outboxLeases];
