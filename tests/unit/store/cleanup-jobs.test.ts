import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCleanupJobs } from '../../../src/cli/doctor-cleanup-jobs';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { useTempDirs } from '../../helpers/temp-dir';
import { MEETING_STORE_DRIVERS, openStoreUnderTest, type StoreUnderTest } from '../../integration/meetings/store-under-test';

const tempDir = useTempDirs();
const open: StoreUnderTest[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const job = { kind: 'delete-resource' as const, objectId: '1000001', meetingId: 'm_aaaaaaaaaaaaaaaa', dueAt: 100 };

describe.each(MEETING_STORE_DRIVERS)('the Kaltura cleanup job queue (migration 006, %s)', (driver) => {
  async function openQueue() {
    const s = await openStoreUnderTest(driver, tempDir());
    open.push(s);
    return { ...s, jobs: s.store.cleanupJobs };
  }

  it('records a job once per (kind, object), however often it is asked for', async () => {
    const { jobs } = await openQueue();
    expect(await jobs.enqueue(job, 10)).toBe(true);
    expect(await jobs.enqueue({ ...job, dueAt: 5 }, 11)).toBe(false);
    expect(await jobs.enqueue({ ...job, kind: 'delete-entry', objectId: '0_abc' }, 12)).toBe(true);
    expect(await jobs.listDue(99, 10)).toEqual([]);
    expect((await jobs.listDue(100, 10)).map((j) => [j.kind, j.objectId, j.dueAt])).toEqual([['delete-resource', '1000001', 100], ['delete-entry', '0_abc', 100]]);
  });

  it('keeps a failing job with its attempts and error, moves it by the backoff, and never drops it', async () => {
    const { jobs } = await openQueue();
    await jobs.enqueue(job, 10);
    const [due] = await jobs.listDue(100, 10);
    await jobs.fail(due!.id, 'scheduleResource.delete: SERVICE_FORBIDDEN', 1_000, 100);
    await jobs.fail(due!.id, 'scheduleResource.delete: SERVICE_FORBIDDEN', 2_000, 1_000);
    expect(await jobs.listDue(1_999, 10)).toEqual([]);
    expect(await jobs.listDue(2_000, 10)).toEqual([expect.objectContaining({ attempts: 2, lastError: 'scheduleResource.delete: SERVICE_FORBIDDEN' })]);
    expect(await jobs.pruneDone(Number.MAX_SAFE_INTEGER)).toBe(0); // pending jobs are never pruned
    expect(await jobs.counts(2_000)).toEqual({ pending: 1, failing: 1, stuck: 0, due: 1, oldestPendingAt: 10 });
    for (let i = 0; i < 8; i++) await jobs.fail(due!.id, 'again', 3_000 + i, 2_000 + i);
    expect(await jobs.counts(2_500)).toEqual({ pending: 1, failing: 1, stuck: 1, due: 0, oldestPendingAt: 10 });
  });

  it('keeps only the first 500 characters of an error', async () => {
    const { jobs } = await openQueue();
    await jobs.enqueue(job, 10);
    const [due] = await jobs.listDue(100, 10);
    await jobs.fail(due!.id, 'x'.repeat(2_000), 200, 100);
    expect((await jobs.listDue(200, 10))[0]!.lastError).toBe('x'.repeat(500));
  });

  it('completes a job once, also by its object (a direct End), and forgets done jobs after a while', async () => {
    const { jobs } = await openQueue();
    await jobs.enqueue(job, 10);
    await jobs.enqueue({ ...job, kind: 'end-event', objectId: '2000001' }, 10);
    const [first] = await jobs.listDue(100, 1);
    expect(await jobs.complete(first!.id, 200)).toBe(true);
    expect(await jobs.complete(first!.id, 201)).toBe(false); // another pass did it first
    expect(await jobs.completeObject('end-event', '2000001', 300)).toBe(true);
    expect(await jobs.listDue(1_000, 10)).toEqual([]);
    expect(await jobs.counts(1_000)).toEqual({ pending: 0, failing: 0, stuck: 0, due: 0 });
    expect(await jobs.enqueue(job, 400)).toBe(false); // done work is not queued again
    expect(await jobs.pruneDone(250)).toBe(1);
    expect(await jobs.pruneDone(301)).toBe(1);
  });

  it('postpones a pending job without counting a failure', async () => {
    const { jobs } = await openQueue();
    await jobs.enqueue(job, 10);
    const [due] = await jobs.listDue(100, 10);
    await jobs.postpone(due!.id, 5_000);
    expect(await jobs.listDue(4_999, 10)).toEqual([]);
    expect(await jobs.listDue(5_000, 10)).toEqual([expect.objectContaining({ id: due!.id, attempts: 0 })]);
  });

  it('lets one of two passes at once complete a job (two instances on PostgreSQL)', async () => {
    const a = await openQueue();
    const b = await a.peer();
    await a.jobs.enqueue(job, 10);
    const [due] = await a.jobs.listDue(100, 10);
    const results = await Promise.all([a.jobs.complete(due!.id, 200), b.cleanupJobs.complete(due!.id, 201)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('is reported by doctor: ok when idle, a warning while jobs fail, a failure with the error and the fix once one keeps failing', async () => {
    const { jobs, sql } = await openQueue();
    expect(await checkCleanupJobs(sql, 0)).toEqual([expect.objectContaining({ id: 'kaltura.cleanup-jobs', status: 'ok', detail: 'nothing pending' })]);
    await jobs.enqueue(job, 10);
    const id = (await jobs.listDue(100, 1))[0]!.id;
    await jobs.fail(id, 'scheduleResource.delete: SERVICE_FORBIDDEN: The access to service [schedule_scheduleresource->delete] is forbidden', 200, 100);
    expect((await checkCleanupJobs(sql, 150))[0]).toMatchObject({ status: 'warn', detail: expect.stringContaining('delete-resource: 1 failing') });
    for (let i = 0; i < 9; i++) await jobs.fail(id, 'scheduleResource.delete: SERVICE_FORBIDDEN', 300 + i, 200 + i);
    expect((await checkCleanupJobs(sql, 400))[0]).toMatchObject({ status: 'fail', detail: expect.stringContaining('SERVICE_FORBIDDEN'), fix: expect.stringContaining('doctor --deep') });
  });

  it('refuses a kind it does not know (CHECK constraint)', async () => {
    const { jobs } = await openQueue();
    await expect(jobs.enqueue({ ...job, kind: 'delete-everything' as never }, 1)).rejects.toThrow(/check constraint/i);
  });
});

describe('migration 006 on a database with history (SQLite)', () => {
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
    db.close();
  });
});
