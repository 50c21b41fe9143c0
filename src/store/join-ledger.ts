/**
 * Single use of join tokens, enforced by SQLite: consuming is an INSERT on the token id's
 * primary key, atomic across connections and processes sharing the file.
 */
import type { Database } from 'better-sqlite3';
import { prepareCached } from './prepare-cached';
import type { JoinLedger } from '../core/ports/meeting-repo';

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
  return prepareCached(db, 'DELETE FROM join_tokens WHERE expires_at < ?').run(expiredBefore).changes;
}

export function createJoinLedger(db: Database): JoinLedger {
  return {
    consume: (tokenId, meetingId, expiresAt, now) => consumeJoinToken(db, tokenId, meetingId, expiresAt, now),
    recordJoin: (join) => recordMeetingJoin(db, join),
    listJoins: (meetingId) => listMeetingJoins(db, meetingId),
    prune: (expiredBefore) => pruneJoinTokens(db, expiredBefore),
  };
}
