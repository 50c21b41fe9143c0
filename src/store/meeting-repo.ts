/**
 * Meetings in SQLite: plain functions over an explicit `db`, and `createMeetingRepo` binding
 * them to the core's `MeetingRepo` port. Every write is one statement, so one transaction;
 * several writes that must commit together go through `createNotificationStore(db).transact`.
 */
import type { Database } from 'better-sqlite3';
import { prepareCached } from './prepare-cached';
import type { Meeting, MeetingStatus } from '../core/meetings/meeting';
import type { MeetingPatch, MeetingRepo } from '../core/ports/meeting-repo';
import { PATCH_COLUMNS, toMeeting, toRow, toSqlValue, type MeetingRow } from './meeting-rows';

/** The INSERT's columns are `toRow`'s keys, so the statement cannot drift from the mapping. */
const COLUMNS = Object.keys(toRow({} as Meeting)) as (keyof MeetingRow)[];

export function insertMeeting(db: Database, meeting: Meeting): void {
  prepareCached(db, `INSERT INTO meetings (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`).run(toRow(meeting));
}

export function getMeeting(db: Database, id: string): Meeting | undefined {
  const row = prepareCached(db, 'SELECT * FROM meetings WHERE id = ?').get(id) as MeetingRow | undefined;
  return row && toMeeting(row);
}

/**
 * One conditional UPDATE: applies the patch and bumps `version` only while the status is one
 * of `from`, so concurrent actors (a member, the reconciler) cannot both win a transition.
 */
export function transitionMeeting(db: Database, id: string, from: readonly MeetingStatus[], patch: MeetingPatch): Meeting | undefined {
  if (from.length === 0) return undefined;
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = PATCH_COLUMNS[key as keyof MeetingPatch];
    if (column === undefined) throw new TypeError(`not a patchable meeting field: ${key}`);
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(toSqlValue(value));
  }
  sets.push('version = version + 1');
  const row = prepareCached(db, `UPDATE meetings SET ${sets.join(', ')} WHERE id = ? AND status IN (${from.map(() => '?').join(', ')}) RETURNING *`)
    .get(...values, id, ...from) as MeetingRow | undefined;
  return row && toMeeting(row);
}

/** Never moves `card_version` backwards: an older render finishing late must not hide a newer one. */
export function markMeetingCardPosted(db: Database, id: string, cardMessageId: string, version: number): void {
  prepareCached(db, 'UPDATE meetings SET card_message_id = ?, card_version = MAX(card_version, ?) WHERE id = ?').run(cardMessageId, version, id);
}

const list = (db: Database, where: string, ...args: (string | number)[]): Meeting[] =>
  (prepareCached(db, `SELECT * FROM meetings WHERE ${where}`).all(...args) as MeetingRow[]).map(toMeeting);

export const listLiveMeetings = (db: Database, guildId: string): Meeting[] =>
  list(db, "guild_id = ? AND status = 'live' ORDER BY created_at DESC, id", guildId);

export const listDueMeetings = (db: Database, now: number): Meeting[] =>
  list(db, "status = 'live' AND ends_at <= ? ORDER BY ends_at", now);

export const listStaleCards = (db: Database, limit: number): Meeting[] =>
  list(db, 'card_message_id IS NOT NULL AND card_version < version ORDER BY created_at LIMIT ?', limit);

export const listStuckStarting = (db: Database, before: number): Meeting[] =>
  list(db, "status = 'starting' AND created_at < ? ORDER BY created_at", before);

export const countHostingMeetings = (db: Database, guildId: string, hostId: string, now: number): number =>
  prepareCached(db, "SELECT count(*) FROM meetings WHERE guild_id = ? AND host_id = ? AND (status = 'starting' OR (status = 'live' AND (ends_at IS NULL OR ends_at > ?)))")
    .pluck()
    .get(guildId, hostId, now) as number;

export const listLiveSessions = (db: Database, limit: number): Meeting[] =>
  list(db, "status = 'live' AND event_id IS NOT NULL ORDER BY created_at, id LIMIT ?", limit);

/** Jobs are keyed by (kind, object_id); done ones are pruned only long after their due time, past any `endedAfter` the reconciler uses. */
export const listEndedWithoutCleanup = (db: Database, endedAfter: number, limit: number): Meeting[] =>
  list(
    db,
    `status = 'ended' AND ended_at >= ? AND (
       (resource_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kaltura_cleanup_jobs j WHERE j.kind = 'delete-resource' AND j.object_id = CAST(meetings.resource_id AS TEXT)))
       OR (template_entry_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kaltura_cleanup_jobs j WHERE j.kind = 'delete-entry' AND j.object_id = meetings.template_entry_id)))
     ORDER BY ended_at, id LIMIT ?`,
    endedAfter,
    limit,
  );

export const findMeetingByTemplateEntryId = (db: Database, templateEntryId: string): Meeting | undefined =>
  list(db, 'template_entry_id = ? ORDER BY created_at LIMIT 1', templateEntryId)[0];

export const findMeetingByEventId = (db: Database, eventId: number): Meeting | undefined =>
  list(db, 'event_id = ? ORDER BY created_at LIMIT 1', eventId)[0];

/** `recording_checked_at IS NOT NULL` sorts never-checked meetings first. */
export const listAwaitingRecording = (db: Database, endedAfter: number, limit: number): Meeting[] =>
  list(
    db,
    "status = 'ended' AND template_entry_id IS NOT NULL AND ended_at >= ? ORDER BY recording_checked_at IS NOT NULL, recording_checked_at, ended_at LIMIT ?",
    endedAfter,
    limit,
  );

export function markRecordingChecked(db: Database, id: string, at: number): void {
  prepareCached(db, 'UPDATE meetings SET recording_checked_at = ? WHERE id = ?').run(at, id);
}

/** INSERT OR IGNORE on the (meeting, entry) key: true only for the first finding. */
export function addMeetingRecording(db: Database, meetingId: string, entryId: string, at: number): boolean {
  return prepareCached(db, 'INSERT OR IGNORE INTO meeting_recordings (meeting_id, entry_id, found_at) VALUES (?, ?, ?)').run(meetingId, entryId, at).changes === 1;
}

export function createMeetingRepo(db: Database): MeetingRepo {
  return {
    insert: (meeting) => insertMeeting(db, meeting),
    get: (id) => getMeeting(db, id),
    transition: (id, from, patch) => transitionMeeting(db, id, from, patch),
    markCardPosted: (id, cardMessageId, version) => markMeetingCardPosted(db, id, cardMessageId, version),
    listLive: (guildId) => listLiveMeetings(db, guildId),
    countHosting: (guildId, hostId, now) => countHostingMeetings(db, guildId, hostId, now),
    listDue: (now) => listDueMeetings(db, now),
    listStaleCards: (limit) => listStaleCards(db, limit),
    listStuckStarting: (before) => listStuckStarting(db, before),
    listLiveSessions: (limit) => listLiveSessions(db, limit),
    listEndedWithoutCleanup: (endedAfter, limit) => listEndedWithoutCleanup(db, endedAfter, limit),
    findByTemplateEntryId: (templateEntryId) => findMeetingByTemplateEntryId(db, templateEntryId),
    findByEventId: (eventId) => findMeetingByEventId(db, eventId),
    listAwaitingRecording: (endedAfter, limit) => listAwaitingRecording(db, endedAfter, limit),
    markRecordingChecked: (id, at) => markRecordingChecked(db, id, at),
    addRecording: (meetingId, entryId, at) => addMeetingRecording(db, meetingId, entryId, at),
  };
}
