/**
 * Runs the due Kaltura cleanup jobs (see kaltura-cleanup.ts), called by the reconciler.
 * Each job is idempotent (an object already gone counts as done), so a job that ran but whose
 * completion was not recorded (a crash) simply runs again. A failure is recorded with the
 * error and retried with exponential backoff; a job is never dropped. When Kaltura does not
 * answer, the pass stops at the first such failure instead of waiting on every job in turn.
 */
import type { CleanupJob } from '../ports/cleanup-jobs';
import { UpstreamError } from '../ports/upstream-error';
import type { MeetingContext } from './meeting-service-deps';

/** Jobs per pass; the rest wait for the next pass (every 30 s). */
export const JOBS_PER_PASS = 25;
/** First retry after 30 s, doubling up to an hour. */
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;
/**
 * A start that timed out may still be created on the server after we gave up on it, so a
 * `discard-start` sweep that found nothing is repeated until this long after the failure.
 */
export const DISCARD_SETTLE_MS = 10 * 60_000;
/** Done jobs are kept this long (for the log and doctor), then forgotten. */
export const KEEP_DONE_JOBS_MS = 30 * 24 * 3_600_000;

export const retryDelayMs = (attempts: number): number => Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempts, 20));

export interface CleanupPass {
  readonly done: number;
  readonly failed: number;
}

async function runJob(ctx: MeetingContext, job: CleanupJob, now: number): Promise<'done' | 'later'> {
  switch (job.kind) {
    case 'end-event': {
      const m = await ctx.store.meetings.get(job.meetingId);
      await ctx.provider.endSession({
        eventId: Number(job.objectId),
        ...(m?.startsAt !== undefined && { startsAt: new Date(m.startsAt) }),
        ...(m?.endsAt !== undefined && { endsAt: new Date(m.endsAt) }),
        ...(m?.endedAt !== undefined && { endedAt: new Date(m.endedAt) }),
      });
      return 'done';
    }
    case 'delete-resource':
      await ctx.provider.removeObject({ kind: 'resource', id: job.objectId });
      return 'done';
    case 'delete-entry':
      await ctx.provider.removeObject({ kind: 'entry', id: job.objectId });
      return 'done';
    case 'discard-start': {
      const found = await ctx.provider.discardSession({ meetingId: job.objectId });
      if (found === 0 && now - job.createdAt >= DISCARD_SETTLE_MS) return 'done';
      // Something was there (look once more: it may have been mid-creation), or it is too early to be sure.
      await ctx.store.cleanupJobs.postpone(job.id, Math.max(now + RETRY_BASE_MS, found === 0 ? job.createdAt + DISCARD_SETTLE_MS : 0));
      return 'later';
    }
  }
}

export async function runCleanupJobs(ctx: MeetingContext): Promise<CleanupPass> {
  const now = ctx.clock.now();
  let done = 0;
  let failed = 0;
  for (const job of await ctx.store.cleanupJobs.listDue(now, JOBS_PER_PASS)) {
    const log = ctx.logger.child({ meetingId: job.meetingId, job: job.kind, objectId: job.objectId });
    try {
      if ((await runJob(ctx, job, now)) === 'done' && (await ctx.store.cleanupJobs.complete(job.id, ctx.clock.now()))) {
        done++;
        log.debug('kaltura cleanup job done');
      }
    } catch (err) {
      // The app is stopping and closed the adapter under us: not Kaltura's failure, the job stays as it was.
      if (err instanceof UpstreamError && err.name === 'KalturaClosedError') break;
      failed++;
      const retryAt = ctx.clock.now() + retryDelayMs(job.attempts);
      const message = err instanceof Error ? err.message : String(err);
      await ctx.store.cleanupJobs.fail(job.id, message, retryAt, ctx.clock.now());
      log.warn({ err, attempts: job.attempts + 1, retryAt: new Date(retryAt).toISOString() }, 'kaltura cleanup job failed; will retry');
      if (!(err instanceof UpstreamError)) continue; // a bug in one job: the others may still run
      if (err.retryable) break; // Kaltura is not answering: the others would only wait as long
    }
  }
  await ctx.store.cleanupJobs.pruneDone(now - KEEP_DONE_JOBS_MS);
  return { done, failed };
}
