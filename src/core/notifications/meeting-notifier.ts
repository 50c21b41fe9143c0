/**
 * The `MeetingNotifier` the meetings use cases call: each hook turns a state change into an
 * outbox row in the caller's transaction, if the server has that notification on.
 */
import type { Logger } from '../logger';
import type { Meeting } from '../meetings/meeting';
import { isOpenToEveryone } from '../meetings/meeting-visibility';
import type { ChannelAccess } from '../ports/channel-access';
import type { Clock } from '../ports/clock';
import type { MeetingNotifier } from '../ports/notification-hooks';
import type { Transaction } from '../ports/store';
import { composeNotification, type NotificationFacts } from './compose-notification';
import type { NotificationKind, NotificationPolicyLookup } from './notification-policy';

export interface EnqueueContext {
  readonly policyFor: NotificationPolicyLookup;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called after a row was written through `tx`; wakes the dispatcher once that transaction commits. */
  readonly onEnqueued: (tx: Transaction) => void;
  /** Who can see which channel; without it, notifications of every meeting follow the server's routing. */
  readonly access?: ChannelAccess;
}

/**
 * Writes the notification's outbox row through `tx`. A message that cannot be composed is
 * logged and skipped, never allowed to undo the state change; a database error (the policy's
 * read included) is thrown, so the change and its notification roll back together.
 */
export async function enqueueNotification(ctx: EnqueueContext, tx: Transaction, kind: NotificationKind, meeting: Meeting, facts: NotificationFacts = {}): Promise<boolean> {
  const policy = await ctx.policyFor(meeting.guildId, tx);
  let composed;
  try {
    // A meeting in a restricted channel (say #staff) is announced only there: routed to another
    // channel, its title, host and joiners would reach members who cannot see the meeting.
    const confined = ctx.access !== undefined && !isOpenToEveryone(ctx.access, meeting);
    composed = composeNotification(kind, meeting, policy, facts, { confined });
  } catch (err) {
    ctx.logger.error({ err, kind, meetingId: meeting.id }, 'could not compose a notification; skipped');
    return false;
  }
  if (!composed) return false;
  const stored = await tx.outbox.enqueue(composed, ctx.clock.now());
  if (stored) {
    ctx.logger.debug({ kind, meetingId: meeting.id, channelId: composed.channelId }, 'notification queued');
    ctx.onEnqueued(tx);
  }
  return stored;
}

export function createMeetingNotifier(ctx: EnqueueContext): MeetingNotifier {
  return {
    sessionStarted: async (tx, meeting) => void (await enqueueNotification(ctx, tx, 'sessionStarted', meeting)),
    sessionEnded: async (tx, meeting) => void (await enqueueNotification(ctx, tx, 'sessionEnded', meeting)),
    memberJoined: async (tx, meeting, member) => void (await enqueueNotification(ctx, tx, 'memberJoined', meeting, { member })),
  };
}
