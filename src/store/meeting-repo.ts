/**
 * Meetings over an explicit `SqlExecutor` (SQLite or PostgreSQL, the same SQL), and
 * `createMeetingRepo` binding them to the core's `MeetingRepo` port. Every write is one
 * statement; several writes that must commit together run in the caller's `store.transaction`.
 */
import { createHash } from 'node:crypto';
import type { Meeting, MeetingStatus } from '../core/meetings/meeting';
import type { MeetingPatch, MeetingRepo } from '../core/ports/meeting-repo';
import type { SqlExecutor, SqlValue } from './sql/sql-executor';
import { PATCH_COLUMNS, toMeeting, toRow, toSqlValue, type MeetingRow } from './meeting-rows';

/** The INSERT's columns are `toRow`'s keys, so the statement cannot drift from the mapping. */
const COLUMNS = Object.keys(toRow({} as Meeting)) as (keyof MeetingRow)[];
const INSERT = `INSERT INTO meetings (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

export async function insertMeeting(sql: SqlExecutor, meeting: Meeting): Promise<void> {
  const row = toRow(meeting);
  await sql.run(INSERT, COLUMNS.map((c) => row[c] as SqlValue));
}

export async function getMeeting(sql: SqlExecutor, id: string): Promise<Meeting | undefined> {
  const row = await sql.get<MeetingRow>('SELECT * FROM meetings WHERE id = ?', [id]);
  return row && toMeeting(row);
}

/**
 * One conditional UPDATE: applies the patch and bumps `version` only while the status is one
 * of `from`, so concurrent actors (a member, the reconciler, another instance) cannot both win
 * a transition (PostgreSQL re-checks the WHERE on the row a concurrent winner committed).
 */
export async function transitionMeeting(sql: SqlExecutor, id: string, from: readonly MeetingStatus[], patch: MeetingPatch): Promise<Meeting | undefined> {
  if (from.length === 0) return undefined;
  const sets: string[] = [];
  const values: SqlValue[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = PATCH_COLUMNS[key as keyof MeetingPatch];
    if (column === undefined) throw new TypeError(`not a patchable meeting field: ${key}`);
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(toSqlValue(value));
  }
  sets.push('version = version + 1');
  const row = await sql.get<MeetingRow>(`UPDATE meetings SET ${sets.join(', ')} WHERE id = ? AND status IN (${from.map(() => '?').join(', ')}) RETURNING *`, [
    ...values,
    id,
    ...from,
  ]);
  return row && toMeeting(row);
}

/** Never moves `card_version` backwards: an older render finishing late must not hide a newer one. */
export async function markMeetingCardPosted(sql: SqlExecutor, id: string, cardMessageId: string, version: number): Promise<void> {
  await sql.run('UPDATE meetings SET card_message_id = ?, card_version = CASE WHEN card_version < ? THEN ? ELSE card_version END WHERE id = ?', [
    cardMessageId,
    version,
    version,
    id,
  ]);
}

/** Every ORDER BY ends in a unique column, so both engines list ties in the same order. */
const list = async (sql: SqlExecutor, where: string, ...args: SqlValue[]): Promise<Meeting[]> =>
  (await sql.all<MeetingRow>(`SELECT * FROM meetings WHERE ${where}`, args)).map(toMeeting);

export const listLiveMeetings = (sql: SqlExecutor, guildId: string): Promise<Meeting[]> =>
  list(sql, "guild_id = ? AND status = 'live' ORDER BY created_at DESC, id", guildId);

export const listDueMeetings = (sql: SqlExecutor, now: number): Promise<Meeting[]> => list(sql, "status = 'live' AND ends_at <= ? ORDER BY ends_at, id", now);

export const listStaleCards = (sql: SqlExecutor, limit: number): Promise<Meeting[]> =>
  list(sql, 'card_message_id IS NOT NULL AND card_version < version ORDER BY created_at, id LIMIT ?', limit);

export const listStuckStarting = (sql: SqlExecutor, before: number): Promise<Meeting[]> =>
  list(sql, "status = 'starting' AND created_at < ? ORDER BY created_at, id", before);

/**
 * SQLite: `BEGIN IMMEDIATE` already serialises every writing transaction, so there is nothing to
 * take. PostgreSQL: a transaction-scoped advisory lock on (a fixed class id, 32 bits of a hash of
 * the server and member), released at COMMIT/ROLLBACK; the two-key form never collides with
 * single-key locks (the leader's, the migrations'). A hash collision only makes two members wait
 * for each other's start check.
 * @see https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
 */
const HOSTING_LOCK_CLASS = 0x6b64_6d31; // "kdm1"
export async function lockHostingMeetings(sql: SqlExecutor, guildId: string, hostId: string): Promise<void> {
  if (sql.dialect !== 'postgres') return;
  const key = createHash('sha256').update(`${guildId}:${hostId}`).digest().readInt32BE(0);
  await sql.run('SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))', [HOSTING_LOCK_CLASS, key]);
}

export async function countHostingMeetings(sql: SqlExecutor, guildId: string, hostId: string, now: number): Promise<number> {
  const row = await sql.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM meetings WHERE guild_id = ? AND host_id = ? AND (status = 'starting' OR (status = 'live' AND (ends_at IS NULL OR ends_at > ?)))",
    [guildId, hostId, now],
  );
  return Number(row?.n ?? 0);
}

export const listLiveSessions = (sql: SqlExecutor, limit: number): Promise<Meeting[]> =>
  list(sql, "status = 'live' AND event_id IS NOT NULL ORDER BY created_at, id LIMIT ?", limit);

/** Jobs are keyed by (kind, object_id); done ones are pruned only long after their due time, past any `endedAfter` the reconciler uses. */
export const listEndedWithoutCleanup = (sql: SqlExecutor, endedAfter: number, limit: number): Promise<Meeting[]> =>
  list(
    sql,
    `status = 'ended' AND ended_at >= ? AND (
       (resource_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kaltura_cleanup_jobs j WHERE j.kind = 'delete-resource' AND j.object_id = CAST(meetings.resource_id AS TEXT)))
       OR (template_entry_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kaltura_cleanup_jobs j WHERE j.kind = 'delete-entry' AND j.object_id = meetings.template_entry_id)))
     ORDER BY ended_at, id LIMIT ?`,
    endedAfter,
    limit,
  );

export const findMeetingByTemplateEntryId = async (sql: SqlExecutor, templateEntryId: string): Promise<Meeting | undefined> =>
  (await list(sql, 'template_entry_id = ? ORDER BY created_at, id LIMIT 1', templateEntryId))[0];

export const findMeetingByEventId = async (sql: SqlExecutor, eventId: number): Promise<Meeting | undefined> =>
  (await list(sql, 'event_id = ? ORDER BY created_at, id LIMIT 1', eventId))[0];

export const findLastRecordedMeeting = async (sql: SqlExecutor, guildId: string): Promise<Meeting | undefined> =>
  (await list(sql, 'guild_id = ? AND recording_entry_id IS NOT NULL ORDER BY COALESCE(ended_at, created_at) DESC, id LIMIT 1', guildId))[0];

/** `CASE … IS NULL` sorts never-checked meetings first on both engines (their NULL ordering differs). */
export const listAwaitingRecording = (sql: SqlExecutor, endedAfter: number, limit: number): Promise<Meeting[]> =>
  list(
    sql,
    "status = 'ended' AND template_entry_id IS NOT NULL AND ended_at >= ? ORDER BY CASE WHEN recording_checked_at IS NULL THEN 0 ELSE 1 END, recording_checked_at, ended_at, id LIMIT ?",
    endedAfter,
    limit,
  );

export async function markRecordingChecked(sql: SqlExecutor, id: string, at: number): Promise<void> {
  await sql.run('UPDATE meetings SET recording_checked_at = ? WHERE id = ?', [at, id]);
}

/** An insert on the (meeting, entry) primary key: true only for the first finding. */
export async function addMeetingRecording(sql: SqlExecutor, meetingId: string, entryId: string, at: number): Promise<boolean> {
  const { changes } = await sql.run('INSERT INTO meeting_recordings (meeting_id, entry_id, found_at) VALUES (?, ?, ?) ON CONFLICT (meeting_id, entry_id) DO NOTHING', [
    meetingId,
    entryId,
    at,
  ]);
  return changes === 1;
}

export function createMeetingRepo(sql: SqlExecutor): MeetingRepo {
  return {
    insert: (meeting) => insertMeeting(sql, meeting),
    get: (id) => getMeeting(sql, id),
    transition: (id, from, patch) => transitionMeeting(sql, id, from, patch),
    markCardPosted: (id, cardMessageId, version) => markMeetingCardPosted(sql, id, cardMessageId, version),
    listLive: (guildId) => listLiveMeetings(sql, guildId),
    lockHosting: (guildId, hostId) => lockHostingMeetings(sql, guildId, hostId),
    countHosting: (guildId, hostId, now) => countHostingMeetings(sql, guildId, hostId, now),
    listDue: (now) => listDueMeetings(sql, now),
    listStaleCards: (limit) => listStaleCards(sql, limit),
    listStuckStarting: (before) => listStuckStarting(sql, before),
    listLiveSessions: (limit) => listLiveSessions(sql, limit),
    listEndedWithoutCleanup: (endedAfter, limit) => listEndedWithoutCleanup(sql, endedAfter, limit),
    findByTemplateEntryId: (templateEntryId) => findMeetingByTemplateEntryId(sql, templateEntryId),
    findByEventId: (eventId) => findMeetingByEventId(sql, eventId),
    findLastRecorded: (guildId) => findLastRecordedMeeting(sql, guildId),
    listAwaitingRecording: (endedAfter, limit) => listAwaitingRecording(sql, endedAfter, limit),
    markRecordingChecked: (id, at) => markRecordingChecked(sql, id, at),
    addRecording: (meetingId, entryId, at) => addMeetingRecording(sql, meetingId, entryId, at),
  };
}
