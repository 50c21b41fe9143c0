import type { Meeting, MeetingStatus } from '../meetings/meeting';

/** Fields a state change may set; `version` is bumped by the repository on every update. */
export type MeetingPatch = Partial<Omit<Meeting, 'id' | 'guildId' | 'channelId' | 'hostId' | 'createdAt' | 'version' | 'cardVersion'>>;

/**
 * Where meetings live (SQLite or PostgreSQL). Outside a transaction every method is its own
 * transaction; through `tx.meetings` it is part of the caller's.
 */
export interface MeetingRepo {
  insert(meeting: Meeting): Promise<void>;
  get(id: string): Promise<Meeting | undefined>;
  /** Applies the patch only if the meeting is currently in one of `from`; returns the new row or undefined. */
  transition(id: string, from: readonly MeetingStatus[], patch: MeetingPatch): Promise<Meeting | undefined>;
  /** Records that the card now shows `version` (and its message id when first posted). */
  markCardPosted(id: string, cardMessageId: string, version: number): Promise<void>;
  listLive(guildId: string): Promise<Meeting[]>;
  /**
   * Holds off every other transaction that takes the same lock (the same member in the same
   * server) until this transaction ends, so "count, then insert" cannot let two starts slip under
   * the limit, even on two instances. Call inside `store.transaction`, before `countHosting`.
   */
  lockHosting(guildId: string, hostId: string): Promise<void>;
  /** How many meetings this member is hosting in the guild: starting, or live and not past their end at `now`. */
  countHosting(guildId: string, hostId: string, now: number): Promise<number>;
  /** Live meetings whose scheduled end is at or before `now`. */
  listDue(now: number): Promise<Meeting[]>;
  /** Meetings whose card is behind (`cardVersion < version`) and that have a card. */
  listStaleCards(limit: number): Promise<Meeting[]>;
  /** `starting` rows older than `before` (a crash mid-start). */
  listStuckStarting(before: number): Promise<Meeting[]>;
  /** Live meetings of every server that have a Kaltura session, oldest first, at most `limit` (the cancellation check). */
  listLiveSessions(limit: number): Promise<Meeting[]>;
  /**
   * Ended meetings (at or after `endedAfter`) with a room or template entry whose removal is not
   * queued in the Kaltura cleanup jobs, oldest first, at most `limit`: the reconciler's safety net
   * for a path that ended a meeting without queueing it (a webhook), so nothing is left for ever.
   */
  listEndedWithoutCleanup(endedAfter: number, limit: number): Promise<Meeting[]>;
  /** The meeting whose session's recordings are created from this template entry. */
  findByTemplateEntryId(templateEntryId: string): Promise<Meeting | undefined>;
  /** The meeting of this Kaltura schedule event. */
  findByEventId(eventId: number): Promise<Meeting | undefined>;
  /** The server's meeting with a recording that ended last (ended, else created, latest): `/kaltura-admin status`. */
  findLastRecorded(guildId: string): Promise<Meeting | undefined>;
  /**
   * Ended meetings with a template entry that ended at or after `endedAfter` (a room that
   * restarted records more than once, so one found recording does not stop the search), least
   * recently checked first (never-checked first), at most `limit`.
   */
  listAwaitingRecording(endedAfter: number, limit: number): Promise<Meeting[]>;
  /**
   * Remembers that `entryId` is a recording of the meeting; true the first time only (atomic),
   * so each recording is announced once whoever finds it (webhook, poller, a redelivery).
   */
  addRecording(meetingId: string, entryId: string, at: number): Promise<boolean>;
  /** Records when Kaltura was last asked for the meeting's recording (not part of `version`). */
  markRecordingChecked(id: string, at: number): Promise<void>;
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
  recordGrant(grant: JoinGrant): Promise<void>;
  /** The grant of a token id, if it was issued (and not yet pruned). */
  findGrant(tokenId: string): Promise<JoinGrant | undefined>;
  /**
   * True the first time a token id is consumed, false ever after: an insert on the token id's
   * primary key, so of two redemptions at once (two connections, two instances) exactly one wins.
   */
  consume(tokenId: string, meetingId: string, expiresAt: number, now: number): Promise<boolean>;
  recordJoin(join: { meetingId: string; userId: string; role: 'moderator' | 'attendee'; at: number }): Promise<void>;
  listJoins(meetingId: string): Promise<{ userId: string; role: 'moderator' | 'attendee'; at: number }[]>;
  /** Forgets consumed tokens and grants that expired before `expiredBefore` (they are refused as expired anyway); returns how many tokens. */
  prune(expiredBefore: number): Promise<number>;
}
