/**
 * Upgrading a database written by the release before issue 9 (schema version 4, with meetings in
 * every state) to the current schema: nothing is lost, earlier recordings stay announced once,
 * rooms of meetings already over are queued for removal, and the repository reads every row.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { createSqliteStore } from '../../../src/store/sql/sqlite-store';

const DAY = 86_400_000;

describe('migrating a populated version 4 database', () => {
  it('keeps every meeting, fills meeting_recordings from the old column, and queues the old rooms', async () => {
    const db = new Database(':memory:');
    const v4 = migrations.findIndex((m) => m.name === 'recording-templates');
    expect(v4).toBe(4);
    migrateDatabase(db, migrations.slice(0, v4), ':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const insert = db.prepare(
      `INSERT INTO meetings (id, guild_id, channel_id, host_id, host_name, kind, title, duration_minutes, record, status, created_at, resource_id, event_id, room_token, starts_at, ends_at, ended_at, recording_entry_id, recording_url)
       VALUES (?, 'g1', 'c1', 'h1', 'Host', 'meeting', ?, 60, 1, ?, 1000, ?, ?, 'tok', 1000, 3601000, ?, ?, ?)`,
    );
    insert.run('m_recordedrecorded', 'Recorded', 'ended', 1000001, 2000001, 2_000_000, '0_rec1', 'https://example.org/0_rec1');
    insert.run('m_norecordingnorec', 'Not recorded', 'ended', 1000002, 2000002, 3_000_000, null, null);
    insert.run('m_stilllivestillli', 'Live', 'live', 1000003, 2000003, null, null, null);
    insert.run('m_failedfailedfail', 'Failed', 'failed', null, null, null, null, null);

    migrateDatabase(db, migrations, ':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);

    const { meetings: repo, cleanupJobs: jobs } = createSqliteStore(db);
    expect(await repo.get('m_recordedrecorded')).toMatchObject({ status: 'ended', recordingEntryId: '0_rec1', recordingUrl: 'https://example.org/0_rec1' });
    expect((await repo.get('m_recordedrecorded'))!.templateEntryId).toBeUndefined();
    expect(await repo.get('m_stilllivestillli')).toMatchObject({ status: 'live', eventId: 2000003 });
    expect(await repo.get('m_failedfailedfail')).toMatchObject({ status: 'failed' });
    // the recording announced before the upgrade is known: finding it again announces nothing
    expect(await repo.addRecording('m_recordedrecorded', '0_rec1', 5_000_000)).toBe(false);
    expect(await repo.addRecording('m_recordedrecorded', '0_rec2', 5_000_000)).toBe(true);
    // meetings without a template are not polled (there is nothing to look recordings up by)
    expect(await repo.listAwaitingRecording(0, 10)).toEqual([]);
    // the rooms of the two meetings over before the upgrade are removed 7 days after their end; the live one is not touched yet
    expect((await jobs.listDue(Number.MAX_SAFE_INTEGER, 10)).map((j) => [j.kind, j.objectId, j.dueAt])).toEqual([
      ['delete-resource', '1000001', 2_000_000 + 7 * DAY],
      ['delete-resource', '1000002', 3_000_000 + 7 * DAY],
    ]);
    // … and they are not queued a second time by the reconciler's safety net
    expect(await repo.listEndedWithoutCleanup(0, 10)).toEqual([]);
    db.close();
  });
});
