/**
 * "Watch together" launch intents (see core/ports/watch-launches.ts): one row per
 * (user, guild, channel), replaced by a newer one, taken once with DELETE … RETURNING.
 */
import type { Database } from 'better-sqlite3';
import type { LaunchIntent, WatchLaunches } from '../core/ports/watch-launches';
import { prepareCached } from './prepare-cached';

export function rememberActivityLaunch(db: Database, intent: LaunchIntent, pruneBefore: number): void {
  db.transaction(() => {
    // At most five minutes of intents exist, so this delete stays small.
    prepareCached(db, 'DELETE FROM activity_launches WHERE at < ?').run(pruneBefore);
    prepareCached(
      db,
      `INSERT INTO activity_launches (user_id, guild_id, channel_id, entry_id, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, guild_id, channel_id) DO UPDATE SET entry_id = excluded.entry_id, at = excluded.at`,
    ).run(intent.userId, intent.guildId, intent.channelId, intent.entryId, intent.at);
  }).immediate();
}

export function takeActivityLaunch(db: Database, userId: string, guildId: string, channelId: string, notBefore: number): string | undefined {
  const row = prepareCached(db, 'DELETE FROM activity_launches WHERE user_id = ? AND guild_id = ? AND channel_id = ? RETURNING entry_id, at').get(userId, guildId, channelId) as
    | { entry_id: string; at: number }
    | undefined;
  return row && row.at >= notBefore ? row.entry_id : undefined;
}

export function createActivityLaunches(db: Database): WatchLaunches {
  return {
    remember: (intent, pruneBefore) => rememberActivityLaunch(db, intent, pruneBefore),
    take: (userId, guildId, channelId, notBefore) => takeActivityLaunch(db, userId, guildId, channelId, notBefore),
  };
}
