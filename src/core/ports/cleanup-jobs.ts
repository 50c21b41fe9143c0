/**
 * Durable work against Kaltura (table `kaltura_cleanup_jobs`): what must happen in
 * Kaltura even when the bot crashes or Kaltura does not answer. The reconciler runs due jobs
 * and retries failing ones with backoff; a job is never dropped while it is pending.
 *
 * - `end-event`: shorten the meeting's schedule event to now and cancel it (object: event id).
 * - `discard-start`: find and remove everything a failed or timed-out start created, ids
 *   unknown (object: our meeting id, which the Kaltura objects carry).
 * - `delete-resource`: remove the meeting's room (object: schedule resource id).
 * - `delete-entry`: remove the meeting's template media entry (object: entry id).
 */
export type CleanupJobKind = 'end-event' | 'discard-start' | 'delete-resource' | 'delete-entry';

export interface CleanupJob {
  readonly id: number;
  readonly kind: CleanupJobKind;
  readonly objectId: string;
  readonly meetingId: string;
  readonly createdAt: number;
  readonly dueAt: number;
  readonly attempts: number;
  readonly lastError?: string;
}

export interface NewCleanupJob {
  readonly kind: CleanupJobKind;
  readonly objectId: string;
  readonly meetingId: string;
  readonly dueAt: number;
}

export interface CleanupJobCounts {
  /** Not done yet (due or waiting for their time). */
  readonly pending: number;
  /** Pending jobs that have failed at least once. */
  readonly failing: number;
  /** Pending jobs that have failed this many times or more (see `STUCK_ATTEMPTS`). */
  readonly stuck: number;
  /** Due now or overdue. */
  readonly due: number;
  /** When the oldest pending job was created (epoch ms), if any. */
  readonly oldestPendingAt?: number;
}

/** A job failing this often needs an operator (doctor fails on it). */
export const STUCK_ATTEMPTS = 10;

export interface CleanupJobs {
  /** Adds the job unless the same (kind, object) is already queued or done; returns true when added. */
  enqueue(job: NewCleanupJob, now: number): Promise<boolean>;
  /** Pending jobs with `dueAt <= now`, oldest due first. */
  listDue(now: number, limit: number): Promise<CleanupJob[]>;
  /** Marks the job done (only if still pending); false when another pass did it first. */
  complete(id: number, now: number): Promise<boolean>;
  /** Marks the pending job for this (kind, object) done, when the work was done directly (End). */
  completeObject(kind: CleanupJobKind, objectId: string, now: number): Promise<boolean>;
  /** Records a failed attempt and when to try again. */
  fail(id: number, error: string, retryAt: number, now: number): Promise<void>;
  /** Moves a pending job's due time (a sweep that must look again later); does not count as a failure. */
  postpone(id: number, dueAt: number): Promise<void>;
  counts(now: number): Promise<CleanupJobCounts>;
  /** Forgets jobs done before `before`; returns how many. */
  pruneDone(before: number): Promise<number>;
}
