/**
 * The Kaltura cleanup job queue (migration 006) over an explicit `SqlExecutor`. Enqueueing is an
 * INSERT … ON CONFLICT DO NOTHING on (kind, object_id), so a job is recorded once however
 * many paths (End, the reconciler, a crash and a retry) ask for it; every transition is a
 * conditional UPDATE, so two passes at once (two instances too) never both complete one job.
 */
import { STUCK_ATTEMPTS, type CleanupJob, type CleanupJobCounts, type CleanupJobKind, type CleanupJobs, type NewCleanupJob } from '../core/ports/cleanup-jobs';
import type { SqlExecutor } from './sql/sql-executor';

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
  id: Number(r.id),
  kind: r.kind,
  objectId: r.object_id,
  meetingId: r.meeting_id,
  createdAt: Number(r.created_at),
  dueAt: Number(r.due_at),
  attempts: Number(r.attempts),
  ...(r.last_error !== null && { lastError: r.last_error }),
});

/** Longest stored error text; errors are already free of secrets (the adapter redacts them). */
const MAX_ERROR = 500;

export async function enqueueCleanupJob(sql: SqlExecutor, job: NewCleanupJob, now: number): Promise<boolean> {
  const { changes } = await sql.run(
    'INSERT INTO kaltura_cleanup_jobs (kind, object_id, meeting_id, created_at, due_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, object_id) DO NOTHING',
    [job.kind, job.objectId, job.meetingId, now, job.dueAt],
  );
  return changes === 1;
}

export async function listDueCleanupJobs(sql: SqlExecutor, now: number, limit: number): Promise<CleanupJob[]> {
  const rows = await sql.all<JobRow>('SELECT * FROM kaltura_cleanup_jobs WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?', [now, limit]);
  return rows.map(toJob);
}

/** Portable counting (`SUM(CASE …)`, not SQLite's `SUM(a > b)`). */
export async function cleanupJobCounts(sql: SqlExecutor, now: number): Promise<CleanupJobCounts> {
  const row = await sql.get<{ pending: number; failing: number | null; stuck: number | null; due: number | null; oldest: number | null }>(
    `SELECT COUNT(*) AS pending,
            SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) AS failing,
            SUM(CASE WHEN attempts >= ? THEN 1 ELSE 0 END) AS stuck,
            SUM(CASE WHEN due_at <= ? THEN 1 ELSE 0 END) AS due,
            MIN(created_at) AS oldest
       FROM kaltura_cleanup_jobs WHERE done_at IS NULL`,
    [STUCK_ATTEMPTS, now],
  );
  const n = (v: number | null | undefined) => Number(v ?? 0);
  return {
    pending: n(row?.pending),
    failing: n(row?.failing),
    stuck: n(row?.stuck),
    due: n(row?.due),
    ...(row?.oldest != null && { oldestPendingAt: Number(row.oldest) }),
  };
}

export function createCleanupJobs(sql: SqlExecutor): CleanupJobs {
  return {
    enqueue: (job, now) => enqueueCleanupJob(sql, job, now),
    listDue: (now, limit) => listDueCleanupJobs(sql, now, limit),
    complete: async (id, now) => (await sql.run('UPDATE kaltura_cleanup_jobs SET done_at = ?, last_try_at = ? WHERE id = ? AND done_at IS NULL', [now, now, id])).changes === 1,
    completeObject: async (kind, objectId, now) =>
      (await sql.run('UPDATE kaltura_cleanup_jobs SET done_at = ?, last_try_at = ? WHERE kind = ? AND object_id = ? AND done_at IS NULL', [now, now, kind, objectId])).changes === 1,
    async fail(id, error, retryAt, now) {
      await sql.run('UPDATE kaltura_cleanup_jobs SET attempts = attempts + 1, last_error = ?, last_try_at = ?, due_at = ? WHERE id = ? AND done_at IS NULL', [
        error.slice(0, MAX_ERROR),
        now,
        retryAt,
        id,
      ]);
    },
    async postpone(id, dueAt) {
      await sql.run('UPDATE kaltura_cleanup_jobs SET due_at = ? WHERE id = ? AND done_at IS NULL', [dueAt, id]);
    },
    counts: (now) => cleanupJobCounts(sql, now),
    pruneDone: async (before) => (await sql.run('DELETE FROM kaltura_cleanup_jobs WHERE done_at IS NOT NULL AND done_at < ?', [before])).changes,
  };
}
