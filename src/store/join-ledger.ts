/**
 * Single use of join tokens, enforced by SQLite: consuming is an INSERT on the token id's
 * primary key, atomic across connections and processes sharing the file.
 */
import type { Database } from 'better-sqlite3';
import { prepareCached } from './prepare-cached';
import type { JoinGrant, JoinLedger } from '../core/ports/meeting-repo';

type Role = 'moderator' | 'attendee';

export function consumeJoinToken(db: Database, tokenId: string, meetingId: string, expiresAt: number, now: number): boolean {
  const result = prepareCached(db, 'INSERT INTO join_tokens (token_id, meeting_id, expires_at, consumed_at) VALUES (?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING')
    .run(tokenId, meetingId, expiresAt, now);
  return result.changes === 1;
}

export function recordMeetingJoin(db: Database, join: { meetingId: string; userId: string; role: Role; at: number }): void {
  prepareCached(db, 'INSERT INTO meeting_joins (meeting_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)').run(join.meetingId, join.userId, join.role, join.at);
}

export function listMeetingJoins(db: Database, meetingId: string): { userId: string; role: Role; at: number }[] {
  return prepareCached(db, 'SELECT user_id AS userId, role, joined_at AS at FROM meeting_joins WHERE meeting_id = ? ORDER BY joined_at, rowid')
    .all(meetingId) as { userId: string; role: Role; at: number }[];
}

export function pruneJoinTokens(db: Database, expiredBefore: number): number {
  prepareCached(db, 'DELETE FROM join_grants WHERE expires_at < ?').run(expiredBefore);
  return prepareCached(db, 'DELETE FROM join_tokens WHERE expires_at < ?').run(expiredBefore).changes;
}

export function recordJoinGrant(db: Database, grant: JoinGrant): void {
  prepareCached(db, 'INSERT INTO join_grants (token_id, meeting_id, user_id, display_name, role_ids, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(grant.tokenId, grant.meetingId, grant.userId, grant.displayName, JSON.stringify(grant.roleIds), grant.expiresAt);
}

export function findJoinGrant(db: Database, tokenId: string): JoinGrant | undefined {
  const row = prepareCached(db, 'SELECT token_id, meeting_id, user_id, display_name, role_ids, expires_at FROM join_grants WHERE token_id = ?').get(tokenId) as
    | { token_id: string; meeting_id: string; user_id: string; display_name: string; role_ids: string; expires_at: number }
    | undefined;
  if (!row) return undefined;
  const roleIds: unknown = JSON.parse(row.role_ids);
  return {
    tokenId: row.token_id,
    meetingId: row.meeting_id,
    userId: row.user_id,
    displayName: row.display_name,
    roleIds: Array.isArray(roleIds) ? roleIds.filter((id): id is string => typeof id === 'string') : [],
    expiresAt: row.expires_at,
  };
}

export function createJoinLedger(db: Database): JoinLedger {
  return {
    recordGrant: (grant) => recordJoinGrant(db, grant),
    findGrant: (tokenId) => findJoinGrant(db, tokenId),
    consume: (tokenId, meetingId, expiresAt, now) => consumeJoinToken(db, tokenId, meetingId, expiresAt, now),
    recordJoin: (join) => recordMeetingJoin(db, join),
    listJoins: (meetingId) => listMeetingJoins(db, meetingId),
    prune: (expiredBefore) => pruneJoinTokens(db, expiredBefore),
  };
}
