/**
 * `kaltura-discord db migrate-to-postgres` against the real test PostgreSQL: every row arrives,
 * counted per table; the installation keeps its identity; numbering continues after the copied ids;
 * a target holding data is refused unless --force; the URL's password is never printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { COPY_ORDER } from '../../../src/store/copy-sqlite-to-postgres';
import { getAppMeta } from '../../../src/store/app-meta';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { openStore, type OpenedStore } from '../../../src/store/open-store';
import { captureLogger } from '../../helpers/capture-logger';
import { commentedConfig } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';

const PASSWORD = 'pw-Never-Printed-7Q';
const meeting = (id: string, over: Partial<Meeting> = {}): Meeting => ({
  id, guildId: '1', channelId: '2', hostId: '3', hostName: 'Ana', kind: 'meeting', title: 'Standup',
  durationMinutes: 30, record: true, status: 'ended', createdAt: 1_000, endedAt: 2_000, resourceId: 2 ** 40 + 7, version: 3, cardVersion: 3, ...over,
});

describe('kaltura-discord db migrate-to-postgres', () => {
  const tempDir = useTempDirs();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function target(): Promise<{ database: TestPostgresDatabase; url: string }> {
    const database = await createTestPostgresDatabase();
    cleanups.push(() => database.drop());
    // The test cluster trusts loopback, so any password is accepted: enough to prove it is never shown.
    const url = new URL(database.url);
    url.password = PASSWORD;
    return { database, url: url.toString() };
  }

  async function open(storage: Parameters<typeof openStore>[0]): Promise<OpenedStore> {
    const opened = await openStore(storage, { logger: captureLogger().logger, instanceId: 'test' });
    cleanups.push(() => opened.close());
    return opened;
  }

  it('copies every table in one transaction, verified per table, and the bot carries on over PostgreSQL', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig(), { mode: 0o600 });
    const file = path.join(cwd, 'data', 'kd.db');
    const sqlite = await openStore({ driver: 'sqlite', path: file }, { logger: captureLogger().logger, instanceId: 'test' });
    const { store } = sqlite;
    await store.meetings.insert(meeting('m_aaaaaaaaaaaaaaaa'));
    await store.meetings.insert(meeting('m_bbbbbbbbbbbbbbbb', { status: 'live', endedAt: undefined }));
    await store.settings.apply('1', [{ key: 'meetings.durationMinutes', oldValue: undefined, newValue: 45 }], 'u1', 5);
    await store.cleanupJobs.enqueue({ kind: 'delete-entry', objectId: '0_x', meetingId: 'm_aaaaaaaaaaaaaaaa', dueAt: 9 }, 1);
    await store.cleanupJobs.enqueue({ kind: 'delete-entry', objectId: '0_y', meetingId: 'm_aaaaaaaaaaaaaaaa', dueAt: 9 }, 1);
    const installation = getAppMeta(sqlite.sqlite!, 'installation_id');
    await sqlite.close();

    const { url } = await target();
    const r = await runCli(['db', 'migrate-to-postgres'], { cwd, env: { KALTURA_DISCORD_STORAGE__URL: url } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}meetings +2 rows \(same count on both sides\)$/m);
    expect(r.stdout).toMatch(/^ {2}settings_audit +1 rows/m);
    expect(r.stdout).toMatch(/^ {2}kaltura_cleanup_jobs +2 rows/m);
    expect(r.stdout).toContain(`done: ${COPY_ORDER.length} tables`);
    expect(r.stdout).toContain(':***@127.0.0.1');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);

    const moved = await open({ driver: 'postgres', path: '', url, poolSize: 2 });
    expect(await moved.store.meetings.get('m_aaaaaaaaaaaaaaaa')).toEqual(meeting('m_aaaaaaaaaaaaaaaa'));
    expect(await moved.store.settings.list('1')).toEqual([{ key: 'meetings.durationMinutes', value: 45, updatedAt: 5, updatedBy: 'u1' }]);
    const [row] = await moved.store.meetings.listLive('1');
    expect(row?.id).toBe('m_bbbbbbbbbbbbbbbb');
    // New rows are numbered after the copied ones (the identity continues).
    await moved.store.cleanupJobs.enqueue({ kind: 'delete-entry', objectId: '0_z', meetingId: 'm_aaaaaaaaaaaaaaaa', dueAt: 9 }, 1);
    expect((await moved.store.cleanupJobs.listDue(10, 10)).map((j) => [j.id, j.objectId])).toEqual([[1, '0_x'], [2, '0_y'], [3, '0_z']]);
    await moved.close();

    // The installation keeps its identity (app_meta is the source's, not the one the migration seeded).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const meta = await client.query("SELECT value FROM app_meta WHERE key = 'installation_id'");
    await client.end();
    expect(meta.rows).toEqual([{ value: installation }]);
    const again = await runCli(['db', 'migrate-to-postgres', '--url', url], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds data (meetings, guild_settings, settings_audit, kaltura_cleanup_jobs); pass --force to replace it');
    expect(again.stderr).not.toContain(PASSWORD);
    const forced = await runCli(['db', 'migrate-to-postgres', '--url', url, '--force'], { cwd });
    expect(forced.code).toBe(0);
    const after = await open({ driver: 'postgres', path: '', url, poolSize: 1 });
    expect((await after.store.cleanupJobs.listDue(10, 10)).map((j) => j.objectId)).toEqual(['0_x', '0_y']);
  });

  it('refuses a URL that is not PostgreSQL, and a missing one, before touching anything', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig(), { mode: 0o600 });
    expect(await runCli(['db', 'migrate-to-postgres', '--url', 'mysql://u:p@h/db'], { cwd })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--url must be a PostgreSQL URL'),
    });
    expect(await runCli(['db', 'migrate-to-postgres'], { cwd })).toMatchObject({ code: 2, stderr: expect.stringContaining('KALTURA_DISCORD_STORAGE__URL') });
  });

  it('knows how to copy every table the migrations create', () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'x.db'));
    migrateDatabase(db, migrations, 'x.db');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name").pluck().all();
    closeDatabase(db);
    expect([...COPY_ORDER].sort()).toEqual(tables);
  });
});
