import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkCleanupJobs } from '../../../src/cli/doctor-cleanup-jobs';
import { cleanupJobCounts, createCleanupJobs } from '../../../src/store/cleanup-jobs';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';

function openQueue() {
  const db = new Database(':memory:');
  migrateDatabase(db, migrations, ':memory:');
  return { db, jobs: createCleanupJobs(db) };
}

const job = { kind: 'delete-resource' as const, objectId: '1000001', meetingId: 'm_aaaaaaaaaaaaaaaa', dueAt: 100 };

describe('the Kaltura cleanup job queue (migration 006)', () => {
  it('records a job once per (kind, object), however often it is asked for', () => {
    const { jobs } = openQueue();
    expect(jobs.enqueue(job, 10)).toBe(true);
    expect(jobs.enqueue({ ...job, dueAt: 5 }, 11)).toBe(false);
    expect(jobs.enqueue({ ...job, kind: 'delete-entry', objectId: '0_abc' }, 12)).toBe(true);
    expect(jobs.listDue(99, 10)).toEqual([]);
    expect(jobs.listDue(100, 10).map((j) => [j.kind, j.objectId, j.dueAt])).toEqual([['delete-resource', '1000001', 100], ['delete-entry', '0_abc', 100]]);
  });

  it('keeps a failing job with its attempts and error, moves it by the backoff, and never drops it', () => {
    const { db, jobs } = openQueue();
    jobs.enqueue(job, 10);
    const [due] = jobs.listDue(100, 10);
    jobs.fail(due!.id, 'scheduleResource.delete: SERVICE_FORBIDDEN', 1_000, 100);
    jobs.fail(due!.id, 'scheduleResource.delete: SERVICE_FORBIDDEN', 2_000, 1_000);
    expect(jobs.listDue(1_999, 10)).toEqual([]);
    expect(jobs.listDue(2_000, 10)).toEqual([expect.objectContaining({ attempts: 2, lastError: 'scheduleResource.delete: SERVICE_FORBIDDEN' })]);
    expect(jobs.pruneDone(Number.MAX_SAFE_INTEGER)).toBe(0); // pending jobs are never pruned
    expect(cleanupJobCounts(db, 2_000)).toEqual({ pending: 1, failing: 1, stuck: 0, due: 1, oldestPendingAt: 10 });
  });

  it('completes a job once, also by its object (a direct End), and forgets done jobs after a while', () => {
    const { jobs } = openQueue();
    jobs.enqueue(job, 10);
    jobs.enqueue({ ...job, kind: 'end-event', objectId: '2000001' }, 10);
    const [first] = jobs.listDue(100, 1);
    expect(jobs.complete(first!.id, 200)).toBe(true);
    expect(jobs.complete(first!.id, 201)).toBe(false); // another pass did it first
    expect(jobs.completeObject('end-event', '2000001', 300)).toBe(true);
    expect(jobs.listDue(1_000, 10)).toEqual([]);
    expect(jobs.counts(1_000)).toEqual({ pending: 0, failing: 0, stuck: 0, due: 0 });
    expect(jobs.enqueue(job, 400)).toBe(false); // done work is not queued again
    expect(jobs.pruneDone(250)).toBe(1);
    expect(jobs.pruneDone(301)).toBe(1);
  });

  it('refuses a kind it does not know (CHECK constraint)', () => {
    const { jobs } = openQueue();
    expect(() => jobs.enqueue({ ...job, kind: 'delete-everything' as never }, 1)).toThrow(/CHECK constraint/);
  });

  it('is reported by doctor: ok when idle, a warning while jobs fail, a failure with the error and the fix once one keeps failing', () => {
    const { db, jobs } = openQueue();
    expect(checkCleanupJobs(db, 0)).toEqual([expect.objectContaining({ id: 'kaltura.cleanup-jobs', status: 'ok', detail: 'nothing pending' })]);
    jobs.enqueue(job, 10);
    const id = jobs.listDue(100, 1)[0]!.id;
    jobs.fail(id, 'scheduleResource.delete: SERVICE_FORBIDDEN: The access to service [schedule_scheduleresource->delete] is forbidden', 200, 100);
    expect(checkCleanupJobs(db, 150)[0]).toMatchObject({ status: 'warn', detail: expect.stringContaining('delete-resource: 1 failing') });
    for (let i = 0; i < 9; i++) jobs.fail(id, 'scheduleResource.delete: SERVICE_FORBIDDEN', 300 + i, 200 + i);
    expect(checkCleanupJobs(db, 400)[0]).toMatchObject({ status: 'fail', detail: expect.stringContaining('SERVICE_FORBIDDEN'), fix: expect.stringContaining('doctor --deep') });
  });

  it('queues the removal of rooms of meetings that were already over when migration 006 ran (7 days after their end)', () => {
    const db = new Database(':memory:');
    const at = migrations.findIndex((m) => m.name === 'kaltura-cleanup-jobs');
    migrateDatabase(db, migrations.slice(0, at), ':memory:');
    const insert = db.prepare(
      "INSERT INTO meetings (id, guild_id, channel_id, host_id, host_name, kind, title, duration_minutes, record, status, created_at, resource_id, ended_at) VALUES (?, 'g', 'c', 'h', 'H', 'meeting', 't', 60, 0, ?, 1000, ?, ?)",
    );
    insert.run('m_endedendedended', 'ended', 1000001, 5_000);
    insert.run('m_failedfailedfai', 'failed', 1000002, null);
    insert.run('m_livelivelivelive', 'live', 1000003, null);
    insert.run('m_noroomnoroomnoro', 'failed', null, null);
    migrateDatabase(db, migrations, ':memory:');
    const rows = db.prepare('SELECT kind, object_id AS objectId, meeting_id AS meetingId, due_at AS dueAt FROM kaltura_cleanup_jobs ORDER BY object_id').all();
    expect(rows).toEqual([
      { kind: 'delete-resource', objectId: '1000001', meetingId: 'm_endedendedended', dueAt: 5_000 + 7 * 86_400_000 },
      { kind: 'delete-resource', objectId: '1000002', meetingId: 'm_failedfailedfai', dueAt: 1_000 + 7 * 86_400_000 },
    ]);
  });
});
