/**
 * The periodic repair pass: what a crash, a closed laptop or a Discord outage left untrue.
 * Every write is a conditional transition, so two passes at once (or a pass racing a member, or
 * another instance) each do a part and never the same part twice. Each change commits with its
 * notification and cleanup jobs in one short transaction; Kaltura and Discord are asked outside.
 */
import type { Meeting } from './meeting';
import type { MeetingContext } from './meeting-service-deps';
import { refreshCard } from './end-meeting';
import { enqueueDiscardJobs, enqueueEndJobs } from './kaltura-cleanup';
import { runCleanupJobs } from './run-cleanup-jobs';
import { UpstreamError } from '../ports/upstream-error';

/** A start still `starting` after this long has crashed (a start takes seconds). */
export const STUCK_START_MS = 2 * 60_000;
/** Used-token records are kept this long past expiry; an expired token is refused before the ledger. */
export const KEEP_USED_TOKENS_MS = 24 * 60 * 60_000;
const CARD_BATCH = 50;
/** Live meetings whose Kaltura event is checked per pass (batched `scheduleEvent.list idIn`). */
export const CANCEL_CHECK_LIMIT = 500;

export interface ReconcileResult {
  readonly ended: number;
  readonly cardsUpdated: number;
  readonly abandoned: number;
  /** Live meetings ended because their session was cancelled or deleted in Kaltura. */
  readonly endedInKaltura: number;
  /** Kaltura cleanup jobs done and failed in this pass. */
  readonly jobsDone: number;
  readonly jobsFailed: number;
}

export async function reconcileMeetings(ctx: MeetingContext): Promise<ReconcileResult> {
  const now = ctx.clock.now();
  let ended = 0;
  for (const m of await ctx.store.meetings.listDue(now)) {
    // Kaltura ends a scheduled event at its end time by itself; only our state needs to follow.
    // The "ended" notice is routed by who can see the channel: refresh that first (http mode reads it
    // over REST; bounded, never rejects), outside the transaction.
    await ctx.access.load?.(m.guildId, m.channelId);
    const done = await ctx.store.transaction(async (tx) => {
      const endedAt = m.endsAt ?? now;
      const row = await tx.meetings.transition(m.id, ['live'], { status: 'ended', endedAt, endedBy: 'schedule' });
      if (row) {
        await ctx.notifier.sessionEnded(tx, row);
        await enqueueEndJobs(ctx, tx, row, endedAt, {});
      }
      return row;
    });
    if (done) {
      ended++;
      ctx.logger.info({ meetingId: m.id }, 'meeting reached its scheduled end');
    }
  }

  let abandoned = 0;
  for (const m of await ctx.store.meetings.listStuckStarting(now - STUCK_START_MS)) {
    const failed = await ctx.store.transaction(async (tx) => {
      const row = await tx.meetings.transition(m.id, ['starting'], { status: 'failed' });
      if (row) await enqueueDiscardJobs(ctx, tx, row); // all it created goes, found by the meeting id if its ids were never stored
      return row;
    });
    if (!failed) continue;
    abandoned++;
    ctx.logger.warn({ meetingId: m.id, eventId: m.eventId }, 'a meeting start did not finish; marked failed, its Kaltura objects queued for removal');
  }

  // A meeting ended by a path that queues no cleanup (a "cancelled" webhook) still gets its room and
  // template removed after the retention; one Kaltura ended is also shortened, so it stops recording.
  // Within the retention no job of it can have been pruned yet, so none is queued twice.
  for (const m of await ctx.store.meetings.listEndedWithoutCleanup(now - ctx.retireAfterMs, CARD_BATCH)) {
    const endedAt = m.endedAt ?? now;
    await ctx.store.transaction((tx) => enqueueEndJobs(ctx, tx, m, endedAt, m.endedBy === 'kaltura' ? { endEventAt: now } : {}));
    ctx.logger.info({ meetingId: m.id, endedBy: m.endedBy }, "queued the removal of an ended meeting's room and template entry");
  }

  let cardsUpdated = 0;
  const stale: Meeting[] = await ctx.store.meetings.listStaleCards(CARD_BATCH);
  for (const m of stale) {
    // The list is a snapshot: each card is painted from the meeting as it is now, unless another pass did it.
    const fresh = await ctx.store.meetings.get(m.id);
    if (fresh && fresh.cardVersion < fresh.version && (await refreshCard(ctx, fresh))) cardsUpdated++;
  }

  const pruned = await ctx.store.joinLedger.prune(now - KEEP_USED_TOKENS_MS);

  // Kaltura last: the steps above need only our database and Discord, and must not wait on Kaltura.
  let endedInKaltura = 0;
  let kalturaAnswers = true;
  try {
    endedInKaltura = await endCancelledInKaltura(ctx);
  } catch (err) {
    kalturaAnswers = !(err instanceof UpstreamError && err.retryable);
    ctx.logger.warn({ err }, 'could not check live sessions in Kaltura; will retry');
  }
  if (endedInKaltura > 0) for (const m of await ctx.store.meetings.listStaleCards(CARD_BATCH)) if (await refreshCard(ctx, m)) cardsUpdated++;
  // When Kaltura did not answer the check, the jobs would only wait as long: next pass.
  const jobs = kalturaAnswers ? await runCleanupJobs(ctx) : { done: 0, failed: 0 };

  if (ended + abandoned + cardsUpdated + pruned + endedInKaltura + jobs.done + jobs.failed > 0) {
    ctx.logger.debug({ ended, abandoned, cardsUpdated, pruned, endedInKaltura, jobsDone: jobs.done, jobsFailed: jobs.failed }, 'reconciled meetings');
  }
  return { ended, cardsUpdated, abandoned, endedInKaltura, jobsDone: jobs.done, jobsFailed: jobs.failed };
}

/**
 * Kaltura sends no HTTP notification for schedule events (no such system template), so live
 * meetings' events are looked up in batches: one cancelled in Kaltura (status 1), deleted
 * (status 3, or no longer listed: ScheduleEventPeer's default criteria hide DELETED events)
 * ends the meeting here, `endedBy: 'kaltura'`.
 */
async function endCancelledInKaltura(ctx: MeetingContext): Promise<number> {
  const live = await ctx.store.meetings.listLiveSessions(CANCEL_CHECK_LIMIT);
  if (live.length === 0) return 0;
  const states = await ctx.provider.sessionStates(live.map((m) => m.eventId!));
  let ended = 0;
  for (const m of live) {
    const state = states.get(m.eventId!) ?? 'deleted';
    if (state === 'active') continue;
    await ctx.access.load?.(m.guildId, m.channelId); // as above: the notice's routing needs a fresh copy
    const endedAt = ctx.clock.now();
    const row = await ctx.store.transaction(async (tx) => {
      const r = await tx.meetings.transition(m.id, ['live'], { status: 'ended', endedAt, endedBy: 'kaltura' });
      if (r) {
        await ctx.notifier.sessionEnded(tx, r);
        // Cancelled there: shorten it too, so an auto-recording stops (a deleted event cannot be updated).
        await enqueueEndJobs(ctx, tx, r, endedAt, state === 'cancelled' ? { endEventAt: endedAt } : {});
      }
      return r;
    });
    if (!row) continue;
    ended++;
    ctx.logger.info({ meetingId: m.id, eventId: m.eventId, state }, 'meeting session was ended in Kaltura; the meeting is ended here too');
  }
  return ended;
}
