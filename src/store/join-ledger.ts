/**
 * Single use of join tokens, enforced by the database: consuming is an insert on the token id's
 * primary key (`ON CONFLICT DO NOTHING`, then "one row inserted?"), atomic across connections,
 * processes and instances on both engines. On PostgreSQL a second insert of the same key waits
 * for the first transaction and then inserts nothing, so two redemptions at once have one winner.
 */
import type { JoinGrant, JoinLedger } from '../core/ports/meeting-repo';
import type { SqlExecutor } from './sql/sql-executor';

type Role = 'moderator' | 'attendee';

export async function consumeJoinToken(sql: SqlExecutor, tokenId: string, meetingId: string, expiresAt: number, now: number): Promise<boolean> {
  const { changes } = await sql.run('INSERT INTO join_tokens (token_id, meeting_id, expires_at, consumed_at) VALUES (?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING', [
    tokenId,
    meetingId,
    expiresAt,
    now,
  ]);
  return changes === 1;
}

export async function recordMeetingJoin(sql: SqlExecutor, join: { meetingId: string; userId: string; role: Role; at: number }): Promise<void> {
  await sql.run('INSERT INTO meeting_joins (meeting_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)', [join.meetingId, join.userId, join.role, join.at]);
}

/** The table has no key (a member may join twice); ties in time are listed by member, the same on both engines. */
export async function listMeetingJoins(sql: SqlExecutor, meetingId: string): Promise<{ userId: string; role: Role; at: number }[]> {
  const rows = await sql.all<{ user_id: string; role: Role; joined_at: number }>(
    'SELECT user_id, role, joined_at FROM meeting_joins WHERE meeting_id = ? ORDER BY joined_at, user_id, role',
    [meetingId],
  );
  return rows.map((r) => ({ userId: r.user_id, role: r.role, at: Number(r.joined_at) }));
}

/** Two statements: atomic in the caller's transaction (a top-level call is its own). */
export async function pruneJoinTokens(sql: SqlExecutor, expiredBefore: number): Promise<number> {
  await sql.run('DELETE FROM join_grants WHERE expires_at < ?', [expiredBefore]);
  return (await sql.run('DELETE FROM join_tokens WHERE expires_at < ?', [expiredBefore])).changes;
}

export async function recordJoinGrant(sql: SqlExecutor, grant: JoinGrant): Promise<void> {
  await sql.run('INSERT INTO join_grants (token_id, meeting_id, user_id, display_name, role_ids, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
    grant.tokenId,
    grant.meetingId,
    grant.userId,
    grant.displayName,
    JSON.stringify(grant.roleIds),
    grant.expiresAt,
  ]);
}

export async function findJoinGrant(sql: SqlExecutor, tokenId: string): Promise<JoinGrant | undefined> {
  const row = await sql.get<{ token_id: string; meeting_id: string; user_id: string; display_name: string; role_ids: string; expires_at: number }>(
    'SELECT token_id, meeting_id, user_id, display_name, role_ids, expires_at FROM join_grants WHERE token_id = ?',
    [tokenId],
  );
  if (!row) return undefined;
  const roleIds: unknown = JSON.parse(row.role_ids);
  return {
    tokenId: row.token_id,
    meetingId: row.meeting_id,
    userId: row.user_id,
    displayName: row.display_name,
    roleIds: Array.isArray(roleIds) ? roleIds.filter((id): id is string => typeof id === 'string') : [],
    expiresAt: Number(row.expires_at),
  };
}

export function createJoinLedger(sql: SqlExecutor): JoinLedger {
  return {
    recordGrant: (grant) => recordJoinGrant(sql, grant),
    findGrant: (tokenId) => findJoinGrant(sql, tokenId),
    consume: (tokenId, meetingId, expiresAt, now) => consumeJoinToken(sql, tokenId, meetingId, expiresAt, now),
    recordJoin: (join) => recordMeetingJoin(sql, join),
    listJoins: (meetingId) => listMeetingJoins(sql, meetingId),
    prune: (expiredBefore) => pruneJoinTokens(sql, expiredBefore),
  };
}
