import type { Meeting } from '../meetings/meeting';

/**
 * What the meetings use cases tell the notifications feature. The hooks write to the outbox
 * synchronously, so a use case calls them inside `atomically` together with the state change
 * that caused them: the change and its notification commit together or not at all.
 * Hooks never throw for a notification that cannot be built (they log and skip it).
 */
export interface MeetingNotifier {
  /** Runs `fn` in one database transaction (a savepoint when already inside one). */
  atomically<T>(fn: () => T): T;
  /** The meeting just became live (its card is posted). */
  sessionStarted(meeting: Meeting): void;
  /** The meeting just ended (a member, its schedule, or Kaltura). */
  sessionEnded(meeting: Meeting): void;
  /** A member redeemed a join link (announced once per member and meeting). */
  memberJoined(meeting: Meeting, member: { readonly id: string; readonly displayName: string }): void;
}

/** For services built without notifications (tests, tools): no transaction, nothing sent. */
export const silentMeetingNotifier: MeetingNotifier = {
  atomically: (fn) => fn(),
  sessionStarted() {},
  sessionEnded() {},
  memberJoined() {},
};
