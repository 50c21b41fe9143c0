import type { Meeting } from '../meetings/meeting';
import type { Transaction } from './store';

/**
 * What the meetings use cases tell the notifications feature. A use case calls a hook inside
 * `store.transaction` with the state change that caused it and passes that transaction: the
 * hook writes its outbox row through `tx`, so the change and its notification commit together
 * or not at all. Hooks use only `tx` (never the network, never the store's own repositories)
 * and never throw for a notification that cannot be built (they log and skip it); a database
 * error is thrown, so the change rolls back with it.
 */
export interface MeetingNotifier {
  /** The meeting just became live (its card is posted). */
  sessionStarted(tx: Transaction, meeting: Meeting): Promise<void>;
  /** The meeting just ended (a member, its schedule, or Kaltura). */
  sessionEnded(tx: Transaction, meeting: Meeting): Promise<void>;
  /** A member redeemed a join link (announced once per member and meeting). */
  memberJoined(tx: Transaction, meeting: Meeting, member: { readonly id: string; readonly displayName: string }): Promise<void>;
}

/** For services built without notifications (tests, tools): nothing is written. */
export const silentMeetingNotifier: MeetingNotifier = {
  sessionStarted: async () => {},
  sessionEnded: async () => {},
  memberJoined: async () => {},
};
