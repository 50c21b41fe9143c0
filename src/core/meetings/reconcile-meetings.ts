/**
 * The periodic repair pass: what a crash, a closed laptop or a Discord outage left untrue.
 * Every write is a conditional transition, so two passes at once (or a pass racing a member)
 * each do a part and never the same part twice.
 */
import type { Meeting } from './meeting';
import type { MeetingContext } from './meeting-service-deps';
import { refreshCard } from './end-meeting';
import { endQuietly } from './start-meeting';

/** A start still `starting` after this long has crashed (a start takes seconds). */
export const STUCK_START_MS = 2 * 60_000;
/** Used-token records are kept this long past expiry; an expired token is refused before the ledger. */
export const KEEP_USED_TOKENS_MS = 24 * 60 * 60_000;
const CARD_BATCH = 50;

export async function reconcileMeetings(ctx: MeetingContext): Promise<{ ended: number; cardsUpdated: number; abandoned: number }> {
  const now = ctx.clock.now();
  let ended = 0;
  for (const m of ctx.repo.listDue(now)) {
    // Kaltura ends a scheduled event at its end time by itself; only our state needs to follow.
    const done = ctx.notifier.atomically(() => {
      const row = ctx.repo.transition(m.id, ['live'], { status: 'ended', endedAt: m.endsAt ?? now, endedBy: 'schedule' });
      if (row) ctx.notifier.sessionEnded(row);
      return row;
    });
    if (done) {
      ended++;
      ctx.logger.info({ meetingId: m.id }, 'meeting reached its scheduled end');
    }
  }

  let abandoned = 0;
  for (const m of ctx.repo.listStuckStarting(now - STUCK_START_MS)) {
    if (!ctx.repo.transition(m.id, ['starting'], { status: 'failed' })) continue;
    abandoned++;
    const log = ctx.logger.child({ meetingId: m.id });
    log.warn({ eventId: m.eventId }, 'a meeting start did not finish; marked failed');
    if (m.eventId !== undefined) await endQuietly(ctx, m.eventId, log);
  }

  let cardsUpdated = 0;
  const stale: Meeting[] = ctx.repo.listStaleCards(CARD_BATCH);
  for (const m of stale) if (await refreshCard(ctx, m)) cardsUpdated++;

  const pruned = ctx.ledger.prune(now - KEEP_USED_TOKENS_MS);
  if (ended + abandoned + cardsUpdated + pruned > 0) ctx.logger.debug({ ended, abandoned, cardsUpdated, pruned }, 'reconciled meetings');
  return { ended, cardsUpdated, abandoned };
}
