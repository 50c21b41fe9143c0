/**
 * Row <-> Meeting mapping. SQL NULL becomes an absent field (never `null` or `undefined`
 * present), so a Meeting read back equals the one written. The same rows come from SQLite and
 * PostgreSQL (whose executor returns BIGINT columns as numbers).
 */
import type { Meeting, MeetingStatus } from '../core/meetings/meeting';
import type { MeetingPatch } from '../core/ports/meeting-repo';
import type { MeetingKind } from '../core/ports/meeting-provider';
import type { SqlValue } from './sql/sql-executor';

export interface MeetingRow {
  id: string;
  guild_id: string;
  channel_id: string;
  host_id: string;
  host_name: string;
  kind: string;
  title: string;
  description: string | null;
  duration_minutes: number;
  record: number;
  status: string;
  created_at: number;
  resource_id: number | null;
  event_id: number | null;
  room_token: string | null;
  template_entry_id: string | null;
  category_id: number | null;
  starts_at: number | null;
  ends_at: number | null;
  ended_at: number | null;
  ended_by: string | null;
  recording_entry_id: string | null;
  recording_url: string | null;
  card_message_id: string | null;
  version: number;
  card_version: number;
}

/** Patchable fields and their columns: the only names that ever reach SQL text. */
export const PATCH_COLUMNS = {
  hostName: 'host_name',
  kind: 'kind',
  title: 'title',
  description: 'description',
  durationMinutes: 'duration_minutes',
  record: 'record',
  status: 'status',
  resourceId: 'resource_id',
  eventId: 'event_id',
  roomToken: 'room_token',
  templateEntryId: 'template_entry_id',
  categoryId: 'category_id',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  endedAt: 'ended_at',
  endedBy: 'ended_by',
  recordingEntryId: 'recording_entry_id',
  recordingUrl: 'recording_url',
  cardMessageId: 'card_message_id',
} as const satisfies Record<keyof MeetingPatch, keyof MeetingRow>;

export const toSqlValue = (value: unknown): SqlValue => (typeof value === 'boolean' ? (value ? 1 : 0) : (value as SqlValue));

export function toMeeting(row: MeetingRow): Meeting {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    hostId: row.host_id,
    hostName: row.host_name,
    kind: row.kind as MeetingKind,
    title: row.title,
    ...(row.description !== null && { description: row.description }),
    durationMinutes: row.duration_minutes,
    record: row.record === 1,
    status: row.status as MeetingStatus,
    createdAt: row.created_at,
    ...(row.resource_id !== null && { resourceId: row.resource_id }),
    ...(row.event_id !== null && { eventId: row.event_id }),
    ...(row.room_token !== null && { roomToken: row.room_token }),
    ...(row.template_entry_id !== null && { templateEntryId: row.template_entry_id }),
    ...(row.category_id !== null && { categoryId: row.category_id }),
    ...(row.starts_at !== null && { startsAt: row.starts_at }),
    ...(row.ends_at !== null && { endsAt: row.ends_at }),
    ...(row.ended_at !== null && { endedAt: row.ended_at }),
    ...(row.ended_by !== null && { endedBy: row.ended_by }),
    ...(row.recording_entry_id !== null && { recordingEntryId: row.recording_entry_id }),
    ...(row.recording_url !== null && { recordingUrl: row.recording_url }),
    ...(row.card_message_id !== null && { cardMessageId: row.card_message_id }),
    version: row.version,
    cardVersion: row.card_version,
  };
}

export function toRow(m: Meeting): MeetingRow {
  return {
    id: m.id,
    guild_id: m.guildId,
    channel_id: m.channelId,
    host_id: m.hostId,
    host_name: m.hostName,
    kind: m.kind,
    title: m.title,
    description: m.description ?? null,
    duration_minutes: m.durationMinutes,
    record: m.record ? 1 : 0,
    status: m.status,
    created_at: m.createdAt,
    resource_id: m.resourceId ?? null,
    event_id: m.eventId ?? null,
    room_token: m.roomToken ?? null,
    template_entry_id: m.templateEntryId ?? null,
    category_id: m.categoryId ?? null,
    starts_at: m.startsAt ?? null,
    ends_at: m.endsAt ?? null,
    ended_at: m.endedAt ?? null,
    ended_by: m.endedBy ?? null,
    recording_entry_id: m.recordingEntryId ?? null,
    recording_url: m.recordingUrl ?? null,
    card_message_id: m.cardMessageId ?? null,
    version: m.version,
    card_version: m.cardVersion,
  };
}
