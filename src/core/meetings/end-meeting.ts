import { UpstreamError } from '../ports/upstream-error';
import type { Actor } from './actor';
import type { Logger } from '../logger';
import { enqueueEndJobs, MEMBER_END_HEAD_START_MS } from './kaltura-cleanup';
import type { Meeting } from './meeting';
import type { EndedMeeting, KalturaPending } from './meeting-service';
import { alreadyEnded, kalturaFailure, notFound } from './meeting-errors';
import type { MeetingContext } from './meeting-service-deps';
import { UserError } from '../user-error';
import { endForbiddenMessage, mayEnd } from './roles';
import { actorInChannelOf } from './meeting-visibility';

/**
 * Ends a live meeting for a member allowed to, checked now (roles may have changed since the
 * card was posted). The end is recorded first, with a durable `end-event` job and its
 * notification, in one transaction: the member's decision is never lost and join links stop at once. Kaltura is
 * then told within `kaltura.interactiveTimeout` (shorten the event to now, then cancel it);
 * if it does not answer, the member hears so in time and the job finishes it later.
 */
export async function endMeeting(ctx: MeetingContext, actor: Actor, guildId: string, meetingId: string): Promise<EndedMeeting> {
  const meeting = await ctx.store.meetings.get(meetingId);
  if (!meeting || meeting.guildId !== guildId) throw notFound();
  // Who cannot see the meeting's channel is told it does not exist; rights are those in that channel.
  const inChannel = actorInChannelOf(ctx.access, actor, meeting);
  if (!inChannel) throw notFound();
  if (meeting.status !== 'live') throw alreadyEnded();
  const policy = await ctx.policyFor(guildId);
  if (!mayEnd(inChannel, meeting, policy)) throw new UserError('meeting.end-forbidden', endForbiddenMessage(meeting, policy));

  const log = ctx.logger.child({ meetingId });
  const endedAt = ctx.clock.now();
  const ended = await ctx.store.transaction(async (tx) => {
    const row = await tx.meetings.transition(meetingId, ['live'], { status: 'ended', endedAt, endedBy: actor.id });
    if (row) {
      await ctx.notifier.sessionEnded(tx, row);
      await enqueueEndJobs(ctx, tx, row, endedAt, { endEventAt: endedAt + MEMBER_END_HEAD_START_MS });
    }
    return row;
  });
  if (!ended) throw alreadyEnded(); // someone else (or the schedule) ended it meanwhile
  log.info({ endedBy: actor.id }, 'meeting ended');
  // Kaltura and the card at once: the member hears back within the interactive budget either way.
  const [kalturaPending] = await Promise.all([ended.eventId === undefined ? undefined : endInKalturaNow(ctx, ended, log), refreshCard(ctx, ended)]);
  const latest = (await ctx.store.meetings.get(meetingId)) ?? ended;
  return kalturaPending ? { ...latest, kalturaPending } : latest;
}

/**
 * Runs the meeting's `end-event` job now, within the interactive budget. Returns undefined when
 * Kaltura confirmed, or why it is still pending (the reconciler retries the job).
 */
async function endInKalturaNow(ctx: MeetingContext, meeting: Meeting, log: Logger): Promise<KalturaPending | undefined> {
  const eventId = meeting.eventId!;
  try {
    await ctx.provider.endSession({
      eventId,
      ...(meeting.startsAt !== undefined && { startsAt: new Date(meeting.startsAt) }),
      ...(meeting.endsAt !== undefined && { endsAt: new Date(meeting.endsAt) }),
      ...(meeting.endedAt !== undefined && { endedAt: new Date(meeting.endedAt) }),
      interactive: true,
    });
  } catch (err) {
    kalturaFailure(err, 'end', meeting.id, log); // logs it; the member is told by the reply
    return err instanceof UpstreamError && !err.retryable ? 'refused' : 'unavailable';
  }
  await ctx.store.cleanupJobs.completeObject('end-event', String(eventId), ctx.clock.now());
  return undefined;
}

/** Edits the card; on failure it stays behind (`cardVersion < version`) for the reconciler. Never re-posts. */
export async function refreshCard(ctx: MeetingContext, meeting: Meeting, repaint = true): Promise<boolean> {
  if (meeting.cardMessageId === undefined) return false;
  let outcome: Awaited<ReturnType<MeetingContext['cards']['update']>>;
  try {
    outcome = await ctx.cards.update(meeting);
    if (outcome === 'ended-notice') ctx.logger.info({ meetingId: meeting.id }, 'the card is in an archived thread the bot may not reopen: posted an "ended" reply under it instead');
  } catch (err) {
    if (err instanceof UpstreamError && !err.retryable) {
      // Deleted card, removed channel, lost access: retrying would only fill the log.
      ctx.logger.warn({ err, meetingId: meeting.id }, 'the meeting card cannot be updated any more (deleted, or no access); giving up on it');
      await ctx.store.meetings.markCardPosted(meeting.id, meeting.cardMessageId, meeting.version);
      return false;
    }
    ctx.logger.warn({ err, meetingId: meeting.id, version: meeting.version }, 'could not update the meeting card; will retry');
    return false;
  }
  await ctx.store.meetings.markCardPosted(meeting.id, meeting.cardMessageId, meeting.version);
  // Another pass or instance may have changed the meeting (and painted the newer card) while this older
  // edit was on its way: it may have landed last, and card_version never goes down, so no pass would
  // fix it. Paint the newer state once more.
  if (repaint && outcome !== 'ended-notice') {
    const fresh = await ctx.store.meetings.get(meeting.id);
    if (fresh && fresh.version > meeting.version) return refreshCard(ctx, fresh, false);
  }
  return true;
}
