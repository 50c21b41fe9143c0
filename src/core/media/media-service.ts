/**
 * The video library's use cases (issue 12), transport-agnostic: Discord handlers, the `/v/<token>`
 * player page and the Activity's API call these and never touch Kaltura, the database or Discord.
 * Everything is scoped to the server's own Kaltura category, and recordings of meetings held in a
 * channel the member cannot see are treated exactly as if they did not exist.
 */
import type { Actor } from '../meetings/actor';
import type { MediaEntry, Playback } from '../ports/media-library';

export interface MediaSearchAnswer {
  readonly entries: MediaEntry[];
  /**
   * How many matches this member may see among the first `SCAN_LIMIT` (50) the library returns
   * for the query. Hidden recordings are never counted, so a count cannot reveal them; the price
   * is that 50 means "50 or more".
   */
  readonly totalCount: number;
}

export interface MediaService {
  /** `query` is trimmed, at most 100 characters; empty lists the newest. `limit` 1..50, default 10. */
  search(actor: Actor, guildId: string, input: { readonly query: string; readonly limit?: number }): Promise<MediaSearchAnswer>;
  /**
   * The entry the actor may post as a public card in `channelId`. UserError('media.unknown', 'No such video in this server’s
   * library.') for unknown / other category / hidden; UserError('media.share-elsewhere') for a meeting's recording outside the
   * meeting's channel when that channel is not open to everyone (no channelId: only recordings of open channels).
   */
  shareable(actor: Actor, guildId: string, entryId: string, channelId?: string): Promise<MediaEntry>;
  /** At most 25 choices (`value` = entry id); never throws: Discord gives autocomplete no way to show an error. */
  autocomplete(actor: Actor, guildId: string, typed: string): Promise<readonly { name: string; value: string }[]>;
  /** `${publicUrl}/v/<token>`, single use, valid for `links.ttl`. */
  issueWatchLink(actor: Actor, guildId: string, entryId: string): Promise<{ url: string; expiresAt: Date }>;
  /** Throws WatchLinkError {reason: 'invalid' | 'expired' | 'used' | 'gone'}; upstream errors as they are (the link is then not used up). */
  redeemWatchLink(token: string): Promise<{ entry: MediaEntry; playback: Playback }>;
  /** Called before LAUNCH_ACTIVITY (a database write, no Discord or Kaltura call): the entry this member asked to watch together here. */
  rememberLaunch(actor: Actor, guildId: string, channelId: string, entryId: string): Promise<void>;
  /** True iff the Activity is configured (`discord.clientSecret` set, so an ActivityPlatform was given). */
  readonly activityEnabled: boolean;
  readonly activity: ActivityService;
}

export interface ActivitySession {
  readonly userId: string;
  readonly displayName: string;
  readonly guildId: string;
  readonly channelId?: string;
  readonly instanceId: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface ActivityService {
  /** Throws ActivityAuthError ('activity.bad-code' 400, 'activity.code-refused' 401). */
  exchangeCode(code: string): Promise<{ accessToken: string }>;
  /**
   * Verifies the token (users/@me), the instance (exists, the user is in it, in a server and channel
   * the bot serves), membership and that the member can see the instance's channel; then mints a
   * session (1 h) and takes the member's launch intent for that channel (younger than 5 min).
   * Throws ActivityAuthError (status 400/401/403/404, stable id).
   */
  openSession(input: { readonly accessToken: string; readonly instanceId: string }): Promise<{ token: string; session: ActivitySession; launchedEntryId?: string }>;
  /** Sync; undefined for forged, expired or malformed tokens. */
  verifySession(token: string): ActivitySession | undefined;
  /**
   * The calls below re-read the member's roles (cached for a minute) and refuse with
   * ActivityAuthError 403 once they left the server or can no longer see the channel.
   */
  search(session: ActivitySession, query: string, limit?: number): Promise<MediaSearchAnswer>;
  /** UserError 'media.unknown' for unknown / other server / hidden. KS ttl = min(max(duration + 15 min, 15 min), 4 h). */
  playback(session: ActivitySession, entryId: string): Promise<{ entry: MediaEntry; playback: Playback }>;
  liveMeetings(session: ActivitySession): Promise<readonly { id: string; title: string; kind: string; startedAt?: number }[]>;
  /** A personal join link (MeetingService.issueJoinLink with the member's roles). */
  joinLink(session: ActivitySession, meetingId: string): Promise<{ url: string }>;
}
