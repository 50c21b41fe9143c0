/**
 * doctor's view of the Kaltura cleanup job queue (migration 006): what the bot still has to do
 * in Kaltura (end sessions, remove rooms and template entries, sweep failed starts). A job that
 * keeps failing needs the operator; one merely waiting for its time is normal.
 */
import type { Database } from 'better-sqlite3';
import type { CheckResult } from '../core/health-check';
import { STUCK_ATTEMPTS } from '../core/ports/cleanup-jobs';
import { cleanupJobCounts } from '../store/cleanup-jobs';

export function checkCleanupJobs(db: Database, now: number): CheckResult[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kaltura_cleanup_jobs'").get();
  if (!exists) return [];
  const c = cleanupJobCounts(db, now);
  const id = 'kaltura.cleanup-jobs';
  const title = 'Kaltura cleanup jobs';
  const summary = c.pending === 0 ? 'nothing pending' : `${c.pending} pending (${c.due} due now, ${c.failing} failing)`;
  const failures = (db.prepare(
    'SELECT kind, count(*) AS n, max(attempts) AS attempts, last_error AS error FROM kaltura_cleanup_jobs WHERE done_at IS NULL AND attempts > 0 GROUP BY kind ORDER BY kind',
  ).all() as { kind: string; n: number; attempts: number; error: string | null }[]).map((f) => `${f.kind}: ${f.n} failing, up to ${f.attempts} attempts; last error: ${f.error ?? '?'}`);
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
