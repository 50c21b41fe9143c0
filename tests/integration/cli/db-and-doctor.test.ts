import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { openStore } from '../../../src/store/open-store';
import { captureLogger } from '../../helpers/capture-logger';
import { startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord/start-fake-discord-rest';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { createTestPostgresDatabase } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';

describe('kaltura-discord db backup', () => {
  const tempDir = useTempDirs();

  it('copies the live database (while another connection holds it open) and refuses to overwrite', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig(), { mode: 0o600 });
    const file = path.join(cwd, 'data', 'kd.db');
    const live = openDatabase(file);
    migrateDatabase(live, migrations, file);
    live.exec("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('kept')");
    const r = await runCli(['db', 'backup', 'backup.db'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backed up .*kd\.db to .*backup\.db \(\d+ bytes\)\n$/);
    const again = await runCli(['db', 'backup', 'backup.db'], { cwd });
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists; choose another name or pass --force') });
    live.exec("INSERT INTO notes VALUES ('later')");
    expect((await runCli(['db', 'backup', 'backup.db', '--force'], { cwd })).code).toBe(0);
    closeDatabase(live);
    const copy = openDatabase(path.join(cwd, 'backup.db'), { readonly: true });
    expect(copy.prepare('SELECT t FROM notes ORDER BY rowid').all()).toEqual([{ t: 'kept' }, { t: 'later' }]);
    closeDatabase(copy);
  });

  it('refuses with PostgreSQL storage, naming the tool that backs it up', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig().replace('storage:\n', 'storage:\n  driver: postgres\n'), { mode: 0o600 });
    const r = await runCli(['db', 'backup', 'x.db'], { cwd, env: { KALTURA_DISCORD_STORAGE__URL: 'postgres://kd:pw@127.0.0.1:1/kd' } });
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining("back up with PostgreSQL's own tools (pg_dump") });
    expect(fs.existsSync(path.join(cwd, 'x.db'))).toBe(false);
  });

  it('explains when there is no database yet', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig(), { mode: 0o600 });
    const r = await runCli(['db', 'backup', 'x.db'], { cwd });
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('(`kaltura-discord serve` creates it)') });
  });
});

describe('kaltura-discord doctor (configuration, database, Discord)', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscordRest;
  beforeAll(async () => {
    discord = await startFakeDiscordRest([{ token: GOOD.token, applicationId: GOOD.applicationId, applicationName: 'Campus', botId: '1100000000000000009', botName: 'campus-bot', verifyKey: 'cd'.repeat(32) }]);
  });
  afterAll(() => discord.close());

  function setup(text: string) {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text.replace('discord:\n', `discord:\n  apiBaseUrl: ${discord.apiBaseUrl}\n`), { mode: 0o600 });
    return cwd;
  }

  it('reports an invalid configuration as a failed check with the problems and a fix', async () => {
    const cwd = setup(commentedConfig().replace('  ttl: 5m', '  tll: 5m'));
    const r = await runCli(['doctor', '--json'], { cwd });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.checks[0]).toMatchObject({ id: 'config.valid', status: 'fail', detail: expect.stringContaining('unknown key "tll"; did you mean "ttl"?') });
  });

  it('fails the Discord check precisely for a token of another application, and never prints a secret', async () => {
    const cwd = setup(commentedConfig().replace(`"${GOOD.applicationId}"`, '"1200000000000000000"'));
    const r = await runCli(['doctor'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[FAIL\] Discord bot token: the token belongs to application 1100000000000000001, but discord.applicationId is 1200000000000000000/);
    expect(r.stdout).toMatch(/fix: set discord.applicationId to the token's application/);
    for (const s of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret]) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('reports messages the outbox gave up on (dead letters) with the fix', async () => {
    const cwd = setup(commentedConfig());
    const file = path.join(cwd, 'data', 'kd.db');
    const opened = await openStore({ driver: 'sqlite', path: file }, { logger: captureLogger().logger, instanceId: 'test' });
    const { outbox } = opened.store;
    await outbox.enqueue({ channelId: '1300000000000000001', message: { content: 'hello' }, dedupeKey: 'test:1' }, Date.now());
    const [item] = await outbox.claimHeads(1, 'test', 60_000, Date.now());
    await outbox.markDead(item!.id, 'test', 1, 'Missing Access (50001)', Date.now());
    await opened.close();
    const r = await runCli(['doctor', '--json'], { cwd });
    const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'notifications.outbox');
    expect(check).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^1 message\(s\) could not be delivered/), fix: expect.stringContaining('Send Messages') });
    expect(r.code).toBe(1);
  });

  it('checks a PostgreSQL database without migrating it, and never prints the password in its URL', async () => {
    const database = await createTestPostgresDatabase();
    try {
      const url = new URL(database.url);
      url.password = 'pw-not-for-eyes-42';
      const cwd = setup(commentedConfig().replace('storage:\n', 'storage:\n  driver: postgres\n'));
      const env = { KALTURA_DISCORD_STORAGE__URL: url.toString() };
      const fresh = Object.fromEntries(JSON.parse((await runCli(['doctor', '--json'], { cwd, env })).stdout).checks.map((c: { id: string }) => [c.id, c]));
      expect(fresh.database).toMatchObject({ status: 'ok', detail: expect.stringContaining(`is writable; ${migrations.length} migration(s) will be applied by the next serve`) });
      const opened = await openStore({ driver: 'postgres', path: '', url: url.toString(), poolSize: 1 }, { logger: captureLogger().logger, instanceId: 'test' });
      await opened.store.outbox.enqueue({ channelId: '1300000000000000001', message: { content: 'hi' }, dedupeKey: 'test:1' }, Date.now());
      await opened.close();
      const r = await runCli(['doctor', '--json'], { cwd, env });
      const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string }) => [c.id, c]));
      expect(checks.database).toMatchObject({ status: 'ok', detail: expect.stringMatching(new RegExp(`^postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/${database.name} is writable and at schema ${migrations.length}\nrows: meetings 0, meeting_joins 0, settings_audit 0, webhook_inbox 0, outbox 1`)) });
      expect(checks['notifications.outbox']).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^1 pending/) });
      expect(checks['kaltura.cleanup-jobs']).toMatchObject({ status: 'ok', detail: 'nothing pending' });
      expect(r.stdout + r.stderr).not.toContain('pw-not-for-eyes-42');
    } finally {
      await database.drop();
    }
  });

  it('warns about a readable config file and a missing database, and passes the Discord check', async () => {
    const cwd = setup(commentedConfig());
    fs.chmodSync(path.join(cwd, 'kaltura-discord.yaml'), 0o644); // 640 is fine: service install's root:<group>
    const r = await runCli(['doctor', '--json'], { cwd });
    const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string }) => [c.id, c]));
    expect(checks['config.safety']).toMatchObject({ status: 'warn', detail: expect.stringContaining('chmod 600') });
    expect(checks.database).toMatchObject({ status: 'warn', detail: expect.stringContaining('does not exist yet') });
    expect(checks['discord.token']).toMatchObject({ status: 'ok', detail: 'bot campus-bot of application "Campus"' });
    expect(checks['discord.commands']).toMatchObject({ status: 'fail', detail: 'kaltura missing, kaltura-admin missing', fix: expect.stringContaining('kaltura-discord register-commands') });
  });
});
