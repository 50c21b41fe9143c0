/**
 * The Kaltura cleanup job queue (migration 006) over an explicit `db`. Enqueueing is an
 * INSERT … ON CONFLICT DO NOTHING on (kind, object_id), so a job is recorded once however
 * many paths (End, the reconciler, a crash and a retry) ask for it; every transition is a
 * conditional UPDATE, so two passes at once never both complete one job.
 */
import type { Database } from 'better-sqlite3';
import { STUCK_ATTEMPTS, type CleanupJob, type CleanupJobCounts, type CleanupJobKind, type CleanupJobs, type NewCleanupJob } from '../core/ports/cleanup-jobs';
import { prepareCached } from './prepare-cached';

interface JobRow {
  id: number;
  kind: CleanupJobKind;
  object_id: string;
  meeting_id: string;
  created_at: number;
  due_at: number;
  attempts: number;
  last_error: string | null;
}

const toJob = (r: JobRow): CleanupJob => ({
  id: r.id,
  kind: r.kind,
  objectId: r.object_id,
  meetingId: r.meeting_id,
  createdAt: r.created_at,
  dueAt: r.due_at,
  attempts: r.attempts,
  ...(r.last_error !== null && { lastError: r.last_error }),
});

/** Longest stored error text; errors are already free of secrets (the adapter redacts them). */
const MAX_ERROR = 500;

export function enqueueCleanupJob(db: Database, job: NewCleanupJob, now: number): boolean {
  return (
    prepareCached(
      db,
      'INSERT INTO kaltura_cleanup_jobs (kind, object_id, meeting_id, created_at, due_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, object_id) DO NOTHING',
    ).run(job.kind, job.objectId, job.meetingId, now, job.dueAt).changes === 1
  );
}

export function listDueCleanupJobs(db: Database, now: number, limit: number): CleanupJob[] {
  const rows = prepareCached(db, 'SELECT * FROM kaltura_cleanup_jobs WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?').all(now, limit) as JobRow[];
  return rows.map(toJob);
}

export function cleanupJobCounts(db: Database, now: number): CleanupJobCounts {
  const row = prepareCached(
    db,
    `SELECT count(*) AS pending,
            coalesce(sum(attempts > 0), 0) AS failing,
            coalesce(sum(attempts >= ?), 0) AS stuck,
            coalesce(sum(due_at <= ?), 0) AS due,
            min(created_at) AS oldest
       FROM kaltura_cleanup_jobs WHERE done_at IS NULL`,
  ).get(STUCK_ATTEMPTS, now) as { pending: number; failing: number; stuck: number; due: number; oldest: number | null };
  return { pending: row.pending, failing: row.failing, stuck: row.stuck, due: row.due, ...(row.oldest !== null && { oldestPendingAt: row.oldest }) };
}

export function createCleanupJobs(db: Database): CleanupJobs {
  return {
    enqueue: (job, now) => enqueueCleanupJob(db, job, now),
    listDue: (now, limit) => listDueCleanupJobs(db, now, limit),
    complete: (id, now) =>
      prepareCached(db, 'UPDATE kaltura_cleanup_jobs SET done_at = ?, last_try_at = ? WHERE id = ? AND done_at IS NULL').run(now, now, id).changes === 1,
    completeObject: (kind, objectId, now) =>
      prepareCached(db, 'UPDATE kaltura_cleanup_jobs SET done_at = ?, last_try_at = ? WHERE kind = ? AND object_id = ? AND done_at IS NULL').run(now, now, kind, objectId).changes === 1,
    fail(id, error, retryAt, now) {
      prepareCached(db, 'UPDATE kaltura_cleanup_jobs SET attempts = attempts + 1, last_error = ?, last_try_at = ?, due_at = ? WHERE id = ? AND done_at IS NULL').run(
        error.slice(0, MAX_ERROR),
        now,
        retryAt,
        id,
      );
    },
    postpone(id, dueAt) {
      prepareCached(db, 'UPDATE kaltura_cleanup_jobs SET due_at = ? WHERE id = ? AND done_at IS NULL').run(dueAt, id);
    },
    counts: (now) => cleanupJobCounts(db, now),
    pruneDone: (before) => prepareCached(db, 'DELETE FROM kaltura_cleanup_jobs WHERE done_at IS NOT NULL AND done_at < ?').run(before).changes,
  };
}
