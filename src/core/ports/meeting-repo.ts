import type { Meeting, MeetingStatus } from '../meetings/meeting';

/** Fields a state change may set; `version` is bumped by the repository on every update. */
export type MeetingPatch = Partial<Omit<Meeting, 'id' | 'guildId' | 'channelId' | 'hostId' | 'createdAt' | 'version' | 'cardVersion'>>;

/** Where meetings live (SQLite). Every method is one transaction. */
export interface MeetingRepo {
  insert(meeting: Meeting): void;
  get(id: string): Meeting | undefined;
  /** Applies the patch only if the meeting is currently in one of `from`; returns the new row or undefined. */
  transition(id: string, from: readonly MeetingStatus[], patch: MeetingPatch): Meeting | undefined;
  /** Records that the card now shows `version` (and its message id when first posted). */
  markCardPosted(id: string, cardMessageId: string, version: number): void;
  listLive(guildId: string): Meeting[];
  /** Live meetings whose scheduled end is at or before `now`. */
  listDue(now: number): Meeting[];
  /** Meetings whose card is behind (`cardVersion < version`) and that have a card. */
  listStaleCards(limit: number): Meeting[];
  /** `starting` rows older than `before` (a crash mid-start). */
  listStuckStarting(before: number): Meeting[];
  /** The meeting whose Kaltura room carries this token (recordings are matched by it). */
  findByRoomToken(roomToken: string): Meeting | undefined;
  /** The meeting of this Kaltura schedule event. */
  findByEventId(eventId: number): Meeting | undefined;
  /**
   * Ended meetings without a recording that ended at or after `endedAfter`, least recently
   * checked first (never-checked first), at most `limit`.
   */
  listAwaitingRecording(endedAfter: number, limit: number): Meeting[];
  /** Records when Kaltura was last asked for the meeting's recording (not part of `version`). */
  markRecordingChecked(id: string, at: number): void;
}

/** Single use of join tokens, and the record of who joined. */
export interface JoinLedger {
  /** True the first time a token id is consumed, false ever after (atomic). */
  consume(tokenId: string, meetingId: string, expiresAt: number, now: number): boolean;
  recordJoin(join: { meetingId: string; userId: string; role: 'moderator' | 'attendee'; at: number }): void;
  listJoins(meetingId: string): { userId: string; role: 'moderator' | 'attendee'; at: number }[];
  /** Forgets consumed tokens that expired before `expiredBefore` (they are refused as expired anyway); returns how many. */
  prune(expiredBefore: number): number;
}
