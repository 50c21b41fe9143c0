/**
 * The port through which the core runs live meetings. The Kaltura adapter implements it
 * with a meeting room (schedule resource), a scheduled session (schedule event) and a
 * per-member join link.
 */
export type MeetingKind = 'meeting' | 'webinar' | 'classroom';
export type MeetingRole = 'moderator' | 'attendee';

export interface CreateMeetingSessionInput {
  readonly kind: MeetingKind;
  readonly title: string;
  readonly description?: string;
  /** How long the session is scheduled for, from now; 1..1440. */
  readonly durationMinutes: number;
  /** Start recording automatically when the first moderator joins. */
  readonly record: boolean;
  /** Discord snowflake of the member who started it (becomes the recording owner). */
  readonly ownerDiscordId: string;
  /**
   * Our meeting id. The Kaltura objects carry it (room systemName, event referenceId, template
   * referenceId), so what a failed or timed-out start created can be found without its ids.
   */
  readonly meetingId?: string;
  /**
   * The server's Kaltura category (see GuildCategories): the template entry, and so every
   * recording created from it, goes there. Absent: no category.
   */
  readonly categoryId?: number;
}

export interface MeetingSession {
  readonly resourceId: number;
  readonly eventId: number;
  /** Unique token embedded in the room name (display only; recordings are never matched by name). */
  readonly roomToken: string;
  /** The media entry passed as the session's `templateEntryId`: recordings are created from it. */
  readonly templateEntryId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

export interface EndSessionRef {
  readonly eventId: number;
  /** The session's scheduled start and end (it is never lengthened, nor ended before its start). */
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  /** When the meeting ended here (a retried end still shortens the session to then); default now. */
  readonly endedAt?: Date;
  readonly interactive?: boolean;
}

/** A schedule event's status in Kaltura (`ScheduleEventStatus`: 1 CANCELLED, 2 ACTIVE, 3 DELETED). */
export type SessionState = 'active' | 'cancelled' | 'deleted';

export interface MeetingMember {
  readonly discordId: string;
  readonly displayName: string;
}

export interface JoinUrlInput {
  readonly eventId: number;
  /** When the session is scheduled to end; bounds the link's lifetime. */
  readonly endsAt: Date;
  readonly member: MeetingMember;
  readonly role: MeetingRole;
}

export interface FindRecordingsInput {
  /** The meeting's template entry: its recordings are the entries whose root it is. */
  readonly templateEntryId: string;
}

export interface Recording {
  readonly entryId: string;
  /** The entry Kaltura created this one from (its root); equals the template for a real recording. */
  readonly rootEntryId: string;
  readonly name: string;
  readonly durationSeconds: number;
  readonly createdAt: Date;
  readonly thumbnailUrl: string;
  readonly watchUrl: string;
}

export interface MeetingProvider {
  createSession(input: CreateMeetingSessionInput): Promise<MeetingSession>;
  /**
   * Ends the scheduled session in Kaltura: shortens it to now (so an auto-recording stops), then
   * cancels it. Ending one that no longer exists is not an error. `interactive`: a member is
   * waiting, so the call gives up after `kaltura.interactiveTimeout`.
   */
  endSession(ref: EndSessionRef): Promise<void>;
  /** Removes a Kaltura object a meeting used (room, template entry, event); one already gone is not an error. */
  removeObject(ref: { readonly kind: 'resource' | 'entry' | 'event'; readonly id: string }): Promise<void>;
  /**
   * Finds everything a start of `meetingId` created (by the meeting id the objects carry; ids may be
   * unknown after a timeout) and removes it. Returns how many objects were found.
   */
  discardSession(ref: { readonly meetingId: string }): Promise<number>;
  /** The Kaltura state of these sessions, looked up in batches (`scheduleEvent.list idIn`); every id gets a state. */
  sessionStates(eventIds: readonly number[]): Promise<Map<number, SessionState>>;
  /** A personal link; it stops working shortly after `endsAt`. Throws MeetingOverError once past that. */
  joinUrl(input: JoinUrlInput): Promise<string>;
  /** Ready recordings made from the session's template (rootEntryId), oldest first; empty while they are still processing. */
  findRecordings(input: FindRecordingsInput): Promise<Recording[]>;
}

/** The session's scheduled time (plus grace) is over, so no join link can be issued. */
export class MeetingOverError extends Error {
  override readonly name = 'MeetingOverError';
  constructor(readonly eventId: number) {
    super(`Meeting session ${eventId} is over; no join link can be issued`);
  }
}
