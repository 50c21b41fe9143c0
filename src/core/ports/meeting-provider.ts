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
}

export interface MeetingSession {
  readonly resourceId: number;
  readonly eventId: number;
  /** Unique token embedded in the room name; how recordings of the session are found. */
  readonly roomToken: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

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
  readonly roomToken: string;
}

export interface Recording {
  readonly entryId: string;
  readonly name: string;
  readonly durationSeconds: number;
  readonly createdAt: Date;
  readonly thumbnailUrl: string;
  readonly watchUrl: string;
}

export interface MeetingProvider {
  createSession(input: CreateMeetingSessionInput): Promise<MeetingSession>;
  /** Ends (cancels) the scheduled session; ending one that no longer exists is not an error. */
  endSession(ref: { readonly eventId: number }): Promise<void>;
  /** A personal link; it stops working shortly after `endsAt`. Throws MeetingOverError once past that. */
  joinUrl(input: JoinUrlInput): Promise<string>;
  /** Ready recordings of the session, newest first; empty while they are still processing. */
  findRecordings(input: FindRecordingsInput): Promise<Recording[]>;
}

/** The session's scheduled time (plus grace) is over, so no join link can be issued. */
export class MeetingOverError extends Error {
  override readonly name = 'MeetingOverError';
  constructor(readonly eventId: number) {
    super(`Meeting session ${eventId} is over; no join link can be issued`);
  }
}
