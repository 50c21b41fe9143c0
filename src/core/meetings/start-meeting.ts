/**
 * Starting a meeting is three side effects in two outside worlds (a Kaltura session, a
 * Discord card) plus our row. The row is written first as `starting` so a crash at any point
 * leaves a trace the reconciler can clean up; it turns `live` only after the card exists,
 * so nothing ever lists a meeting that members cannot see. Every failure undoes what exists.
 * Each write is its own short transaction: Kaltura and Discord are called between them, never inside.
 */
import type { Logger } from '../logger';
import type { MeetingSession } from '../ports/meeting-provider';
import type { Transaction } from '../ports/store';
import { UserError } from '../user-error';
import type { Actor } from './actor';
import type { Meeting } from './meeting';
import { enqueueDiscardJobs } from './kaltura-cleanup';
import { CARD_FAILED_MESSAGE, kalturaFailure, startAbandoned } from './meeting-errors';
import { newMeetingId } from './meeting-ids';
import type { StartMeetingInput } from './meeting-service';
import type { MeetingContext } from './meeting-service-deps';
import { mayStart, startForbiddenMessage } from './roles';
import { validateStartInput } from './validate-start-input';

export async function startMeeting(ctx: MeetingContext, actor: Actor, input: StartMeetingInput): Promise<Meeting> {
  const policy = await ctx.policyFor(input.guildId);
  if (!mayStart(actor, policy)) throw new UserError('meeting.start-forbidden', startForbiddenMessage(policy));
  const fields = validateStartInput(input, policy);

  const id = newMeetingId(ctx.random);
  const log = ctx.logger.child({ meetingId: id });
  const limit = policy.maxLivePerMember ?? 0;
  // The limit check and the `starting` row commit together, so two quick starts cannot both slip under it.
  await ctx.store.transaction(async (tx) => {
    if (limit > 0) await refuseOverLimit(ctx, tx, actor, input.guildId, limit);
    await tx.meetings.insert({
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
  });

  let session: MeetingSession;
  let categoryId: number | undefined;
  try {
    // the server's category first: the template (and so every recording) is created in it
    categoryId = ctx.categories ? (await ctx.categories.categoryFor(input.guildId)).id : undefined;
    session = await ctx.provider.createSession({ ...fields, ownerDiscordId: actor.id, meetingId: id, ...(categoryId !== undefined && { categoryId }) });
  } catch (err) {
    // The member hears now; what the start may have created (even after a timeout) is found by
    // the meeting id the objects carry and removed by a durable job, retried until Kaltura answers.
    await failStart(ctx, id);
    throw kalturaFailure(err, 'create', id, log);
  }

  // Recorded while still `starting`, so that after a crash the reconciler knows what to end.
  const withIds = await ctx.store.meetings.transition(id, ['starting'], {
    resourceId: session.resourceId,
    eventId: session.eventId,
    roomToken: session.roomToken,
    templateEntryId: session.templateEntryId,
    ...(categoryId !== undefined && { categoryId }),
    startsAt: session.startsAt.getTime(),
    endsAt: session.endsAt.getTime(),
  });
  if (!withIds) return abandon(ctx, id, session, log);

  // The card shows the meeting as it will be once live (the next version).
  const shown: Meeting = { ...withIds, status: 'live', version: withIds.version + 1 };
  let cardMessageId: string;
  try {
    cardMessageId = await ctx.cards.post(shown);
  } catch (err) {
    log.warn({ err, eventId: session.eventId }, 'could not post the meeting card; removing the Kaltura session');
    await failStart(ctx, id, withIds);
    throw new UserError('meeting.card-failed', CARD_FAILED_MESSAGE, { cause: err });
  }

  const live = await ctx.store.transaction(async (tx) => {
    const row = await tx.meetings.transition(id, ['starting'], { status: 'live', cardMessageId });
    if (row) await ctx.notifier.sessionStarted(tx, row);
    return row;
  });
  if (!live) {
    const gone = await ctx.store.meetings.get(id);
    if (gone) await ctx.cards.update({ ...gone, cardMessageId }).catch((err: unknown) => log.warn({ err }, 'could not update the card of an abandoned start'));
    return abandon(ctx, id, session, log);
  }
  await ctx.store.meetings.markCardPosted(id, cardMessageId, live.version);
  log.info({ guildId: live.guildId, eventId: live.eventId, kind: live.kind }, 'meeting started');
  return (await ctx.store.meetings.get(id)) ?? { ...live, cardVersion: live.version };
}

/**
 * One member may host at most `limit` live meetings per server (`meetings.maxLivePerMember`), checked
 * before anything is created, so one member cannot fill the Kaltura account. Runs in the transaction
 * that inserts the new row, holding the member's lock (other instances included) until it commits.
 */
async function refuseOverLimit(ctx: MeetingContext, tx: Transaction, actor: Actor, guildId: string, limit: number): Promise<void> {
  await tx.meetings.lockHosting(guildId, actor.id);
  // Starts still in progress count too, so two quick starts cannot both slip under the limit.
  const hosting = await tx.meetings.countHosting(guildId, actor.id, ctx.clock.now());
  if (hosting < limit) return;
  throw new UserError(
    'meeting.member-limit',
    `You are already hosting ${hosting === 1 ? 'a live meeting' : `${hosting} live meetings`} in this server, the most one member may host at once here (${limit}). ` +
      'End one with `/kaltura end` or its End button, then start again.',
  );
}

/**
 * Marks the start failed and, in the same transaction, queues the removal of all it created in
 * Kaltura (run by the reconciler). Queued even when the row was already failed (the reconciler
 * gave up on it first): `known` then brings the ids only this start knows.
 */
async function failStart(ctx: MeetingContext, id: string, known?: Pick<Meeting, 'eventId' | 'resourceId' | 'templateEntryId'>): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const row = await tx.meetings.transition(id, ['starting'], { status: 'failed' });
    const ids = row ?? known ?? {};
    await enqueueDiscardJobs(ctx, tx, {
      id,
      ...(ids.eventId !== undefined && { eventId: ids.eventId }),
      ...(ids.resourceId !== undefined && { resourceId: ids.resourceId }),
      ...(ids.templateEntryId !== undefined && { templateEntryId: ids.templateEntryId }),
    });
  });
}

/** The reconciler marked this start as crashed while it was still running (it took minutes). */
async function abandon(ctx: MeetingContext, id: string, session: MeetingSession, log: Logger): Promise<never> {
  log.warn({ eventId: session.eventId }, 'the start took too long and was given up; removing the Kaltura session');
  await failStart(ctx, id, session);
  throw startAbandoned(id);
}
