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
  /** How many meetings this member is hosting in the guild: starting, or live and not past their end at `now`. */
  countHosting(guildId: string, hostId: string, now: number): number;
  /** Live meetings whose scheduled end is at or before `now`. */
  listDue(now: number): Meeting[];
  /** Meetings whose card is behind (`cardVersion < version`) and that have a card. */
  listStaleCards(limit: number): Meeting[];
  /** `starting` rows older than `before` (a crash mid-start). */
  listStuckStarting(before: number): Meeting[];
  /** Live meetings of every server that have a Kaltura session, oldest first, at most `limit` (the cancellation check). */
  listLiveSessions(limit: number): Meeting[];
  /**
   * Ended meetings (at or after `endedAfter`) with a room or template entry whose removal is not
   * queued in the Kaltura cleanup jobs, oldest first, at most `limit`: the reconciler's safety net
   * for a path that ended a meeting without queueing it (a webhook), so nothing is left for ever.
   */
  listEndedWithoutCleanup(endedAfter: number, limit: number): Meeting[];
  /** The meeting whose session's recordings are created from this template entry. */
  findByTemplateEntryId(templateEntryId: string): Meeting | undefined;
  /** The meeting of this Kaltura schedule event. */
  findByEventId(eventId: number): Meeting | undefined;
  /**
   * Ended meetings with a template entry that ended at or after `endedAfter` (a room that
   * restarted records more than once, so one found recording does not stop the search), least
   * recently checked first (never-checked first), at most `limit`.
   */
  listAwaitingRecording(endedAfter: number, limit: number): Meeting[];
  /**
   * Remembers that `entryId` is a recording of the meeting; true the first time only (atomic),
   * so each recording is announced once whoever finds it (webhook, poller, a redelivery).
   */
  addRecording(meetingId: string, entryId: string, at: number): boolean;
  /** Records when Kaltura was last asked for the meeting's recording (not part of `version`). */
  markRecordingChecked(id: string, at: number): void;
}

/** What an issued join link stands for, kept server-side so the token stays short. */
export interface JoinGrant {
  readonly tokenId: string;
  readonly meetingId: string;
  readonly userId: string;
  readonly displayName: string;
  /** The member's role ids when the link was issued. */
  readonly roleIds: readonly string[];
  readonly expiresAt: number;
}

/** Single use of join tokens, and the record of who joined. */
export interface JoinLedger {
  /** Stores what a link being issued stands for. */
  recordGrant(grant: JoinGrant): void;
  /** The grant of a token id, if it was issued (and not yet pruned). */
  findGrant(tokenId: string): JoinGrant | undefined;
  /** True the first time a token id is consumed, false ever after (atomic). */
  consume(tokenId: string, meetingId: string, expiresAt: number, now: number): boolean;
  recordJoin(join: { meetingId: string; userId: string; role: 'moderator' | 'attendee'; at: number }): void;
  listJoins(meetingId: string): { userId: string; role: 'moderator' | 'attendee'; at: number }[];
  /** Forgets consumed tokens and grants that expired before `expiredBefore` (they are refused as expired anyway); returns how many tokens. */
  prune(expiredBefore: number): number;
}
