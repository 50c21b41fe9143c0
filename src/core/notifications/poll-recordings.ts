/**
 * The fallback when no webhook arrives (webhooks off, app-token mode, a lost delivery): ask
 * Kaltura about recently ended meetings, a few per pass, least recently asked first, for the
 * entries made from each meeting's template (`rootEntryIdEqual`, `isRoot=0`). A meeting stays
 * in the search for the whole window even after a recording was found, because a room that
 * restarted records more than once. Each find goes through the same path as the webhook, which
 * announces every recording once. With several instances only the leader polls (the caller checks).
 */
import type { NotificationsContext } from './notifications-context';
import { recordRecording } from './record-recording';

export const POLL_BATCH = 10;

export interface PollResult {
  readonly checked: number;
  readonly found: number;
  readonly failed: number;
}

export async function pollRecordings(ctx: NotificationsContext, windowMs: number, batch = POLL_BATCH): Promise<PollResult> {
  const now = ctx.clock.now();
  const meetings = await ctx.store.meetings.listAwaitingRecording(now - windowMs, batch);
  let found = 0;
  let failed = 0;
  let firstError: unknown;
  for (const meeting of meetings) {
    // Before asking, so a meeting whose lookup fails goes to the back of the line too.
    await ctx.store.meetings.markRecordingChecked(meeting.id, now);
    try {
      const recordings = await ctx.provider.findRecordings({ templateEntryId: meeting.templateEntryId! });
      for (const recording of recordings) {
        // oldest first, so the card's Watch button shows the session's first recording
        const outcome = await recordRecording(ctx, { entryId: recording.entryId, rootEntryId: recording.rootEntryId, durationSeconds: recording.durationSeconds }, 'poll');
        if (outcome === 'recorded') found++;
      }
    } catch (err) {
      failed++;
      firstError ??= err;
    }
  }
  if (failed > 0) ctx.logger.warn({ err: firstError, failed, checked: meetings.length }, 'could not look for recordings in Kaltura; will try again');
  return { checked: meetings.length, found, failed };
}
