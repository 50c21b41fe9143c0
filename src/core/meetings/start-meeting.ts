/**
 * Starting a meeting is three side effects in two outside worlds (a Kaltura session, a
 * Discord card) plus our row. The row is written first as `starting` so a crash at any point
 * leaves a trace the reconciler can clean up; it turns `live` only after the card exists,
 * so nothing ever lists a meeting that members cannot see. Every failure undoes what exists.
 */
import type { Logger } from '../logger';
import type { MeetingSession } from '../ports/meeting-provider';
import { UserError } from '../user-error';
import type { Actor } from './actor';
import type { Meeting } from './meeting';
import { CARD_FAILED_MESSAGE, kalturaFailure, startAbandoned } from './meeting-errors';
import { newMeetingId } from './meeting-ids';
import type { StartMeetingInput } from './meeting-service';
import type { MeetingContext } from './meeting-service-deps';
import { mayStart, startForbiddenMessage } from './roles';
import { validateStartInput } from './validate-start-input';

export async function startMeeting(ctx: MeetingContext, actor: Actor, input: StartMeetingInput): Promise<Meeting> {
  const policy = ctx.policyFor(input.guildId);
  if (!mayStart(actor, policy)) throw new UserError('meeting.start-forbidden', startForbiddenMessage(policy));
  const fields = validateStartInput(input, policy);

  const id = newMeetingId(ctx.random);
  const log = ctx.logger.child({ meetingId: id });
  ctx.repo.insert({
    id,
    guildId: input.guildId,
    channelId: input.channelId,
    hostId: actor.id,
    hostName: actor.displayName,
    ...fields,
    status: 'starting',
    createdAt: ctx.clock.now(),
    version: 0,
    cardVersion: 0,
  });

  let session: MeetingSession;
  try {
    session = await ctx.provider.createSession({ ...fields, ownerDiscordId: actor.id });
  } catch (err) {
    // the adapter has already removed whatever part of the session it had created
    markFailed(ctx, id);
    throw kalturaFailure(err, 'create', id, log);
  }

  // Recorded while still `starting`, so that after a crash the reconciler knows what to end.
  const withIds = ctx.repo.transition(id, ['starting'], {
    resourceId: session.resourceId,
    eventId: session.eventId,
    roomToken: session.roomToken,
    startsAt: session.startsAt.getTime(),
    endsAt: session.endsAt.getTime(),
  });
  if (!withIds) return abandon(ctx, id, session.eventId, log);

  // The card shows the meeting as it will be once live (the next version).
  const shown: Meeting = { ...withIds, status: 'live', version: withIds.version + 1 };
  let cardMessageId: string;
  try {
    cardMessageId = await ctx.cards.post(shown);
  } catch (err) {
    log.warn({ err, eventId: session.eventId }, 'could not post the meeting card; ending the Kaltura session');
    await endQuietly(ctx, session.eventId, log);
    markFailed(ctx, id);
    throw new UserError('meeting.card-failed', CARD_FAILED_MESSAGE, { cause: err });
  }

  const live = ctx.notifier.atomically(() => {
    const row = ctx.repo.transition(id, ['starting'], { status: 'live', cardMessageId });
    if (row) ctx.notifier.sessionStarted(row);
    return row;
  });
  if (!live) {
    const gone = ctx.repo.get(id);
    if (gone) await ctx.cards.update({ ...gone, cardMessageId }).catch((err: unknown) => log.warn({ err }, 'could not update the card of an abandoned start'));
    return abandon(ctx, id, session.eventId, log);
  }
  ctx.repo.markCardPosted(id, cardMessageId, live.version);
  log.info({ guildId: live.guildId, eventId: live.eventId, kind: live.kind }, 'meeting started');
  return ctx.repo.get(id) ?? { ...live, cardVersion: live.version };
}

function markFailed(ctx: MeetingContext, id: string): void {
  ctx.repo.transition(id, ['starting'], { status: 'failed' });
}

/** Ends a session we are giving up on; a failure is logged (it ends by itself on schedule). */
export async function endQuietly(ctx: MeetingContext, eventId: number, log: Logger): Promise<void> {
  try {
    await ctx.provider.endSession({ eventId });
  } catch (err) {
    log.error({ err, eventId }, 'could not end the Kaltura session of a failed start; it stays scheduled until its end time');
  }
}

/** The reconciler marked this start as crashed while it was still running (it took minutes). */
async function abandon(ctx: MeetingContext, id: string, eventId: number, log: Logger): Promise<never> {
  log.warn({ eventId }, 'the start took too long and was given up; ending the Kaltura session');
  await endQuietly(ctx, eventId, log);
  markFailed(ctx, id);
  throw startAbandoned(id);
}
