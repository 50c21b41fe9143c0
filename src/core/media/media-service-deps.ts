import type { KeyObject } from 'node:crypto';
import type { Logger } from '../logger';
import type { MeetingService } from '../meetings/meeting-service';
import type { JoinLinkSettings } from '../meetings/meeting-service-deps';
import type { ActivityMember, ActivityPlatform } from '../ports/activity-platform';
import type { ChannelAccess } from '../ports/channel-access';
import type { Clock, RandomBytes } from '../ports/clock';
import type { GuildCategories } from '../ports/guild-categories';
import type { MediaLibrary } from '../ports/media-library';
import type { Store } from '../ports/store';

export interface MediaServiceDeps {
  /** Kaltura's media (category-scoped search, findPlayable, playback). */
  readonly library: MediaLibrary;
  /** Each server's Kaltura category: the only place its media is looked for. */
  readonly categories: GuildCategories;
  /** Who can see which channel (the Discord gateway cache). */
  readonly access: ChannelAccess;
  /**
   * The database: which meeting a recording was made from (`meetings.findByTemplateEntryId`, to keep
   * it to that channel), single-use watch links (`watchLinks`) and launch intents (`launches`).
   */
  readonly store: Store;
  /** Live meetings and join links for the Activity (the same service Discord's commands use). */
  readonly meetings: Pick<MeetingService, 'listLive' | 'issueJoinLink'>;
  /** Discord's OAuth and activity-instance REST; absent when `discord.clientSecret` is not set (no Activity). */
  readonly platform?: ActivityPlatform;
  /** `links.secret` (watch links and sessions derive their own keys), `links.ttl`, `http.publicUrl`. */
  readonly links: JoinLinkSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default: `crypto.randomBytes`. */
  readonly random?: RandomBytes;
  /** The longest any one Kaltura or Discord call may take here. Default 15 s. */
  readonly waitMs?: number;
  /** Autocomplete must answer Discord within 3 s, deferring is not possible: default 2.5 s. */
  readonly autocompleteWaitMs?: number;
}

export interface MediaContext extends Omit<MediaServiceDeps, 'random' | 'waitMs' | 'autocompleteWaitMs'> {
  readonly random: RandomBytes;
  readonly waitMs: number;
  readonly autocompleteWaitMs: number;
  /** Derived once from `links.secret` (info 'kaltura-discord watch link v1'). */
  readonly watchKey: KeyObject;
  /** Derived once from `links.secret` (info 'kaltura-discord activity session v1'). */
  readonly sessionKey: KeyObject;
  /** guild + user -> the member as Discord last answered, and when. */
  readonly members: Map<string, { readonly member: ActivityMember | undefined; readonly at: number }>;
}
