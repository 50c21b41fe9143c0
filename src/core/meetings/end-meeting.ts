import { UpstreamError } from '../ports/upstream-error';
import type { Actor } from './actor';
import type { Meeting } from './meeting';
import { alreadyEnded, kalturaFailure, notFound } from './meeting-errors';
import type { MeetingContext } from './meeting-service-deps';
import { UserError } from '../user-error';
import { endForbiddenMessage, mayEnd } from './roles';

/**
 * Ends a live meeting for a member allowed to, checked now (roles may have changed since the
 * card was posted). Kaltura first: if it cannot be told, the meeting stays live rather than
 * the card claiming an end that did not happen.
 */
export async function endMeeting(ctx: MeetingContext, actor: Actor, guildId: string, meetingId: string): Promise<Meeting> {
  const meeting = ctx.repo.get(meetingId);
  if (!meeting || meeting.guildId !== guildId) throw notFound();
  if (meeting.status !== 'live') throw alreadyEnded();
  const policy = ctx.policyFor(guildId);
  if (!mayEnd(actor, meeting, policy)) throw new UserError('meeting.end-forbidden', endForbiddenMessage(meeting, policy));

  const log = ctx.logger.child({ meetingId });
  if (meeting.eventId !== undefined) {
    try {
      await ctx.provider.endSession({ eventId: meeting.eventId });
    } catch (err) {
      throw kalturaFailure(err, 'end', meetingId, log);
    }
  }
  const ended = ctx.notifier.atomically(() => {
    const row = ctx.repo.transition(meetingId, ['live'], { status: 'ended', endedAt: ctx.clock.now(), endedBy: actor.id });
    if (row) ctx.notifier.sessionEnded(row);
    return row;
  });
  if (!ended) throw alreadyEnded(); // someone else (or the schedule) ended it meanwhile
  log.info({ endedBy: actor.id }, 'meeting ended');
  await refreshCard(ctx, ended);
  return ctx.repo.get(meetingId) ?? ended;
}

/** Edits the card; on failure it stays behind (`cardVersion < version`) for the reconciler. Never re-posts. */
export async function refreshCard(ctx: MeetingContext, meeting: Meeting): Promise<boolean> {
  if (meeting.cardMessageId === undefined) return false;
  try {
    await ctx.cards.update(meeting);
  } catch (err) {
    if (err instanceof UpstreamError && !err.retryable) {
      // Deleted card, removed channel, lost access: retrying would only fill the log.
      ctx.logger.warn({ err, meetingId: meeting.id }, 'the meeting card cannot be updated any more (deleted, or no access); giving up on it');
      ctx.repo.markCardPosted(meeting.id, meeting.cardMessageId, meeting.version);
      return false;
    }
    ctx.logger.warn({ err, meetingId: meeting.id, version: meeting.version }, 'could not update the meeting card; will retry');
    return false;
  }
  ctx.repo.markCardPosted(meeting.id, meeting.cardMessageId, meeting.version);
  return true;
}
