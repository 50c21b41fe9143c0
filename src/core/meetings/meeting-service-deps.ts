import type { KeyObject } from 'node:crypto';
import type { Logger } from '../logger';
import type { Clock, RandomBytes } from '../ports/clock';
import type { ChannelAccess } from '../ports/channel-access';
import type { GuildCategories } from '../ports/guild-categories';
import type { MeetingCards } from '../ports/meeting-cards';
import type { MeetingProvider } from '../ports/meeting-provider';
import type { MemberDirectory } from '../ports/member-directory';
import type { MeetingNotifier } from '../ports/notification-hooks';
import type { Store } from '../ports/store';
import type { PolicyLookup } from './guild-policy';

export interface JoinLinkSettings {
  /** `links.secret`: signs join tokens. */
  readonly secret: string;
  /** `links.ttl`: how long an issued link stays valid, in milliseconds. */
  readonly ttlMs: number;
  /** `http.publicUrl`: where `/j/<token>` is served. */
  readonly publicUrl: string;
}

export interface MeetingServiceDeps {
  /**
   * Meetings, join links and the durable Kaltura cleanup queue. Changes that must commit together
   * (a state change, its notification, its cleanup jobs) run in one `store.transaction`, never
   * with the network inside it.
   */
  readonly store: Store;
  readonly provider: MeetingProvider;
  /** Each server's Kaltura category, where its templates and recordings go. Absent: no category. */
  readonly categories?: GuildCategories;
  readonly members: MemberDirectory;
  readonly cards: MeetingCards;
  /** Who can view a meeting's channel and with which permissions (the Discord gateway cache). */
  readonly access: ChannelAccess;
  readonly policyFor: PolicyLookup;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly links: JoinLinkSettings;
  /** Default: `crypto.randomBytes`. */
  readonly random?: RandomBytes;
  /**
   * Notifications of starts, ends and joins, written in the same transaction as the change.
   * Default: none (`silentMeetingNotifier`).
   */
  readonly notifier?: MeetingNotifier;
  /** `recordings.retireAfter`: the room and template entry are removed this long after the end. Default 7 days. */
  readonly retireAfterMs?: number;
}

/** What the use cases share once the service is built. */
export interface MeetingContext extends Omit<MeetingServiceDeps, 'random' | 'notifier' | 'retireAfterMs'> {
  readonly random: RandomBytes;
  readonly notifier: MeetingNotifier;
  readonly retireAfterMs: number;
  /** Derived once from `links.secret`. */
  readonly joinKey: KeyObject;
  /** Members whose Kaltura profile was synced recently (key -> when), so a rejoin does not sync again. */
  readonly recentlySynced: Map<string, number>;
}
