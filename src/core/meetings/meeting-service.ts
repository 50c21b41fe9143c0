import type { MeetingKind, MeetingRole } from '../ports/meeting-provider';
import type { Actor } from './actor';
import type { Meeting } from './meeting';
import type { ReconcileResult } from './reconcile-meetings';

export interface StartMeetingInput {
  readonly guildId: string;
  readonly channelId: string;
  /** Absent: the server's default kind. */
  readonly kind?: MeetingKind;
  readonly title: string;
  readonly description?: string;
  /** 1..1440; absent: the server's default. */
  readonly durationMinutes?: number;
  /** Absent: the server's default. */
  readonly record?: boolean;
}

export interface JoinLink {
  /** `<http.publicUrl>/j/<token>` */
  readonly url: string;
  readonly expiresAt: number;
  readonly role: MeetingRole;
  readonly meeting: Meeting;
}

export interface RedeemedJoin {
  /** The Kaltura (KAF) launch URL to redirect the browser to. Contains a KS: never log it. */
  readonly redirectUrl: string;
  readonly meeting: Meeting;
  readonly userId: string;
  readonly role: MeetingRole;
}

/** Why a join link did not work; `status` is the HTTP status the join page answers with. */
export type JoinFailure = 'malformed' | 'bad-signature' | 'expired' | 'used' | 'ended' | 'unknown-meeting';

export class JoinLinkError extends Error {
  override readonly name = 'JoinLinkError';
  readonly status: 400 | 401 | 404 | 410;
  constructor(readonly failure: JoinFailure, options?: { cause?: unknown }) {
    super(`join link refused: ${failure}`, options);
    this.status = ({ malformed: 400, 'bad-signature': 401, expired: 410, used: 410, ended: 410, 'unknown-meeting': 404 } as const)[failure];
  }
}

/**
 * Why Kaltura has not confirmed an End yet: it did not answer in time (`unavailable`) or refused
 * (`refused`, e.g. a missing permission). The meeting is ended here either way; a durable job
 * keeps telling Kaltura until it confirms.
 */
export type KalturaPending = 'unavailable' | 'refused';

/** The ended meeting; `kalturaPending` when Kaltura still has to be told (the reconciler retries). */
export type EndedMeeting = Meeting & { readonly kalturaPending?: KalturaPending };

/**
 * The meetings use cases, transport-agnostic: Discord handlers (gateway or HTTP interactions)
 * and the join-link route call these and never touch Kaltura, the store or Discord directly.
 * Errors meant for the member are `UserError`s (stable `id`, safe message).
 */
export interface MeetingService {
  /** Creates the Kaltura session, stores the meeting and posts its card. Nothing half-made survives a failure. */
  start(actor: Actor, input: StartMeetingInput): Promise<Meeting>;
  /** Ends a live meeting (host, or a member who may manage meetings) and updates its card. */
  end(actor: Actor, guildId: string, meetingId: string): Promise<EndedMeeting>;
  /**
   * A live meeting of this guild that the actor can see (they can view its channel), or a
   * UserError saying it is unknown (also when they cannot see it) or over.
   */
  getLive(actor: Actor, guildId: string, meetingId: string): Promise<Meeting>;
  /** Live meetings of the guild whose channel the actor can view. */
  listLive(actor: Actor, guildId: string): Promise<Meeting[]>;
  /** Live meetings of the guild whose title contains `query` (case-insensitive), newest first, at most 25. */
  suggestLive(actor: Actor, guildId: string, query: string): Promise<Meeting[]>;
  /** A personal, short-lived, single-use link with the role decided now, by the actor's permissions in the meeting's channel. */
  issueJoinLink(actor: Actor, guildId: string, meetingId: string): Promise<JoinLink>;
  /** Verifies and consumes a join token; throws JoinLinkError. */
  redeemJoinLink(token: string): Promise<RedeemedJoin>;
  /** Ends overdue meetings, finishes crashed starts, and re-renders stale cards. */
  reconcile(): Promise<ReconcileResult>;
}
