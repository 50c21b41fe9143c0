/**
 * Single use of personal watch links (`/v/<token>`), enforced by the database on both engines:
 * claiming is one UPDATE guarded by `used_at IS NULL`, so of any number of instances (or
 * connections) redeeming the same link at once exactly one sees `changes === 1`.
 */
import type { WatchLinkLedger, WatchLinkRecord } from '../core/ports/watch-links';
import type { SqlExecutor } from './sql/sql-executor';

/** Expired rows forgotten per issued link: enough to keep up, small enough to never hold the write lock long. */
const PRUNE_BATCH = 100;

interface Row {
  token_id: string;
  guild_id: string;
  user_id: string;
  entry_id: string;
  role_ids: string;
  expires_at: number;
  used_at: number | null;
}

/** Two statements: atomic inside the caller's transaction (a top-level call is its own). */
export async function recordWatchLink(sql: SqlExecutor, link: WatchLinkRecord, pruneBefore: number): Promise<void> {
  await sql.run('DELETE FROM watch_links WHERE token_id IN (SELECT token_id FROM watch_links WHERE expires_at < ? LIMIT ?)', [pruneBefore, PRUNE_BATCH]);
  await sql.run('INSERT INTO watch_links (token_id, guild_id, user_id, entry_id, role_ids, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, NULL)', [
    link.tokenId,
    link.guildId,
    link.userId,
    link.entryId,
    JSON.stringify(link.roleIds),
    link.expiresAt,
  ]);
}

export async function findWatchLink(sql: SqlExecutor, tokenId: string): Promise<WatchLinkRecord | undefined> {
  const row = await sql.get<Row>('SELECT token_id, guild_id, user_id, entry_id, role_ids, expires_at, used_at FROM watch_links WHERE token_id = ?', [tokenId]);
  if (!row) return undefined;
  const roleIds: unknown = JSON.parse(row.role_ids);
  return {
    tokenId: row.token_id,
    guildId: row.guild_id,
    userId: row.user_id,
    entryId: row.entry_id,
    roleIds: Array.isArray(roleIds) ? roleIds.filter((id): id is string => typeof id === 'string') : [],
    expiresAt: row.expires_at,
    ...(row.used_at !== null && { usedAt: row.used_at }),
  };
}

export const claimWatchLink = async (sql: SqlExecutor, tokenId: string, now: number): Promise<boolean> =>
  (await sql.run('UPDATE watch_links SET used_at = ? WHERE token_id = ? AND used_at IS NULL', [now, tokenId])).changes === 1;

export async function releaseWatchLink(sql: SqlExecutor, tokenId: string, claimedAt: number): Promise<void> {
  await sql.run('UPDATE watch_links SET used_at = NULL WHERE token_id = ? AND used_at = ?', [tokenId, claimedAt]);
}

export function createWatchLinkLedger(sql: SqlExecutor): WatchLinkLedger {
  return {
    record: (link, pruneBefore) => recordWatchLink(sql, link, pruneBefore),
    find: (tokenId) => findWatchLink(sql, tokenId),
    claim: (tokenId, now) => claimWatchLink(sql, tokenId, now),
    release: (tokenId, claimedAt) => releaseWatchLink(sql, tokenId, claimedAt),
  };
}
