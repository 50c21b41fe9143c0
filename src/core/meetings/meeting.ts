import type { MeetingKind } from '../ports/meeting-provider';

/**
 * `starting`: the row exists, Kaltura is being asked (never shown as live).
 * `live`: the Kaltura session exists and the card says Live.
 * `ended`: ended by a member, by the schedule (reconciler), or in Kaltura.
 * `failed`: starting did not complete; nothing of it is left in Kaltura.
 */
export type MeetingStatus = 'starting' | 'live' | 'ended' | 'failed';

/** One Kaltura session started from Discord. Times are epoch milliseconds. */
export interface Meeting {
  /** Our id: `m_` + 16 base32 characters; used in buttons' custom ids and join tokens. */
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly hostId: string;
  readonly hostName: string;
  readonly kind: MeetingKind;
  readonly title: string;
  readonly description?: string;
  readonly durationMinutes: number;
  readonly record: boolean;
  readonly status: MeetingStatus;
  readonly createdAt: number;
  /** Kaltura ids, once the session exists. */
  readonly resourceId?: number;
  readonly eventId?: number;
  readonly roomToken?: string;
  /**
   * The media entry the session's recordings are created from (`templateEntryId`); a recording is
   * this meeting's only if its rootEntryId is this entry. Kept so it can be removed later.
   */
  readonly templateEntryId?: string;
  /** The server's Kaltura category the template (and so each recording) went into. */
  readonly categoryId?: number;
  readonly startsAt?: number;
  /** Scheduled end. */
  readonly endsAt?: number;
  readonly endedAt?: number;
  /** Discord id of who ended it, or `schedule` (reconciler) or `kaltura` (cancelled there). */
  readonly endedBy?: string;
  /** The session's recording, once it is ready (the card then shows a Watch button). */
  readonly recordingEntryId?: string;
  readonly recordingUrl?: string;
  /** The public meeting card, once posted. */
  readonly cardMessageId?: string;
  /** Incremented on every change the card shows; the card is re-rendered when it differs from `cardVersion`. */
  readonly version: number;
  /** The `version` the posted card shows. */
  readonly cardVersion: number;
}
