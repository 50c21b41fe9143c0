/**
 * doctor's view of the Kaltura cleanup job queue (migration 006): what the bot still has to do
 * in Kaltura (end sessions, remove rooms and template entries, sweep failed starts). A job that
 * keeps failing needs the operator; one merely waiting for its time is normal.
 */
import type { CheckResult } from '../core/health-check';
import { STUCK_ATTEMPTS } from '../core/ports/cleanup-jobs';
import { cleanupJobCounts } from '../store/cleanup-jobs';
import type { SqlExecutor } from '../store/sql/sql-executor';

/** `sql` on a database at the current schema (either engine). */
export async function checkCleanupJobs(sql: SqlExecutor, now: number): Promise<CheckResult[]> {
  const c = await cleanupJobCounts(sql, now);
  const id = 'kaltura.cleanup-jobs';
  const title = 'Kaltura cleanup jobs';
  const summary = c.pending === 0 ? 'nothing pending' : `${c.pending} pending (${c.due} due now, ${c.failing} failing)`;
  // The newest failure's error per kind (PostgreSQL has no bare column beside an aggregate, as SQLite allows).
  const failures = (
    await sql.all<{ kind: string; n: number; attempts: number; error: string | null }>(
      `SELECT kind, COUNT(*) AS n, MAX(attempts) AS attempts,
              (SELECT j.last_error FROM kaltura_cleanup_jobs j
                WHERE j.kind = k.kind AND j.done_at IS NULL AND j.attempts > 0 ORDER BY j.last_try_at DESC, j.id DESC LIMIT 1) AS error
         FROM kaltura_cleanup_jobs k WHERE done_at IS NULL AND attempts > 0 GROUP BY kind ORDER BY kind`,
    )
  ).map((f) => `${f.kind}: ${f.n} failing, up to ${f.attempts} attempts; last error: ${f.error ?? '?'}`);
  if (c.stuck > 0) {
    return [{
      id, title, status: 'fail',
      detail: [`${summary}; ${c.stuck} failed ${STUCK_ATTEMPTS} times or more`, ...failures].join('\n'),
      fix: 'read the last error: SERVICE_FORBIDDEN means the Kaltura account lacks a permission (`kaltura-discord doctor --deep` names it); a timeout means Kaltura is unreachable from here. Jobs are retried until they succeed',
    }];
  }
  if (c.failing > 0) {
    return [{ id, title, status: 'warn', detail: [summary, ...failures].join('\n'), fix: 'they are retried with backoff (up to an hour apart); check Kaltura is reachable if this persists' }];
  }
  return [{ id, title, status: 'ok', detail: summary }];
}
