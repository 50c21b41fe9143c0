/**
 * Single use of personal watch links (`/v/<token>`), enforced by SQLite: claiming is an UPDATE
 * guarded by `used_at IS NULL`, atomic across connections and processes sharing the file.
 */
import type { Database } from 'better-sqlite3';
import type { WatchLinkLedger, WatchLinkRecord } from '../core/ports/watch-links';
import { prepareCached } from './prepare-cached';

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

export function recordWatchLink(db: Database, link: WatchLinkRecord, pruneBefore: number): void {
  db.transaction(() => {
    prepareCached(db, 'DELETE FROM watch_links WHERE token_id IN (SELECT token_id FROM watch_links WHERE expires_at < ? LIMIT ?)').run(pruneBefore, PRUNE_BATCH);
    prepareCached(db, 'INSERT INTO watch_links (token_id, guild_id, user_id, entry_id, role_ids, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, NULL)')
      .run(link.tokenId, link.guildId, link.userId, link.entryId, JSON.stringify(link.roleIds), link.expiresAt);
  }).immediate();
}

export function findWatchLink(db: Database, tokenId: string): WatchLinkRecord | undefined {
  const row = prepareCached(db, 'SELECT token_id, guild_id, user_id, entry_id, role_ids, expires_at, used_at FROM watch_links WHERE token_id = ?').get(tokenId) as Row | undefined;
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

export const claimWatchLink = (db: Database, tokenId: string, now: number): boolean =>
  prepareCached(db, 'UPDATE watch_links SET used_at = ? WHERE token_id = ? AND used_at IS NULL').run(now, tokenId).changes === 1;

export function releaseWatchLink(db: Database, tokenId: string, claimedAt: number): void {
  prepareCached(db, 'UPDATE watch_links SET used_at = NULL WHERE token_id = ? AND used_at = ?').run(tokenId, claimedAt);
}

export function createWatchLinkLedger(db: Database): WatchLinkLedger {
  return {
    record: (link, pruneBefore) => recordWatchLink(db, link, pruneBefore),
    find: (tokenId) => findWatchLink(db, tokenId),
    claim: (tokenId, now) => claimWatchLink(db, tokenId, now),
    release: (tokenId, claimedAt) => releaseWatchLink(db, tokenId, claimedAt),
  };
}
