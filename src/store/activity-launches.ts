/**
 * "Watch together" launch intents (see core/ports/watch-launches.ts): one row per
 * (user, guild, channel), replaced by a newer one, taken once with DELETE … RETURNING (both
 * engines: of two instances taking at once, one gets the row, the other nothing).
 */
import type { LaunchIntent, WatchLaunches } from '../core/ports/watch-launches';
import type { SqlExecutor } from './sql/sql-executor';

/** Two statements: atomic inside the caller's transaction (a top-level call is its own). */
export async function rememberActivityLaunch(sql: SqlExecutor, intent: LaunchIntent, pruneBefore: number): Promise<void> {
  // At most five minutes of intents exist, so this delete stays small.
  await sql.run('DELETE FROM activity_launches WHERE at < ?', [pruneBefore]);
  await sql.run(
    `INSERT INTO activity_launches (user_id, guild_id, channel_id, entry_id, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_id, guild_id, channel_id) DO UPDATE SET entry_id = excluded.entry_id, at = excluded.at`,
    [intent.userId, intent.guildId, intent.channelId, intent.entryId, intent.at],
  );
}

export async function takeActivityLaunch(sql: SqlExecutor, userId: string, guildId: string, channelId: string, notBefore: number): Promise<string | undefined> {
  const row = await sql.get<{ entry_id: string; at: number }>('DELETE FROM activity_launches WHERE user_id = ? AND guild_id = ? AND channel_id = ? RETURNING entry_id, at', [userId, guildId, channelId]);
  return row && row.at >= notBefore ? row.entry_id : undefined;
}

export function createActivityLaunches(sql: SqlExecutor): WatchLaunches {
  return {
    remember: (intent, pruneBefore) => rememberActivityLaunch(sql, intent, pruneBefore),
    take: (userId, guildId, channelId, notBefore) => takeActivityLaunch(sql, userId, guildId, channelId, notBefore),
  };
}
