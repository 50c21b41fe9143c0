import type { KeyObject } from 'node:crypto';
import type { Logger } from '../logger';
import type { Clock, RandomBytes } from '../ports/clock';
import type { MeetingCards } from '../ports/meeting-cards';
import type { MeetingProvider } from '../ports/meeting-provider';
import type { JoinLedger, MeetingRepo } from '../ports/meeting-repo';
import type { MemberDirectory } from '../ports/member-directory';
import type { MeetingNotifier } from '../ports/notification-hooks';
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
  readonly repo: MeetingRepo;
  readonly ledger: JoinLedger;
  readonly provider: MeetingProvider;
  readonly members: MemberDirectory;
  readonly cards: MeetingCards;
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
}

/** What the use cases share once the service is built. */
export interface MeetingContext extends Omit<MeetingServiceDeps, 'random' | 'notifier'> {
  readonly random: RandomBytes;
  readonly notifier: MeetingNotifier;
  /** Derived once from `links.secret`. */
  readonly joinKey: KeyObject;
  /** Members whose Kaltura profile was synced recently (key -> when), so a rejoin does not sync again. */
  readonly recentlySynced: Map<string, number>;
}
