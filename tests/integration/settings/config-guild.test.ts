import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuildSettings } from '../../../src/core/settings/create-guild-settings';
import { loadConfig } from '../../../src/config/load-config';
import { openStore } from '../../../src/store/open-store';
import { captureLogger } from '../../helpers/capture-logger';
import { commentedConfig } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { createTestPostgresDatabase, STORE_DRIVERS, type StoreDriver } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

const G = '1200000000000000001';
const ROLE = '1400000000000000002';
const me = `cli:${os.userInfo().username}`;

/** The CLI writes one server's settings in the configured database while a running bot (another process) keeps its cache right. */
describe.each(STORE_DRIVERS)('kaltura-discord config … --guild (%s)', (driver: StoreDriver) => {
  const tempDir = useTempDirs();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function setup() {
    const cwd = tempDir();
    const file = path.join(cwd, 'kaltura-discord.yaml');
    let yaml = commentedConfig();
    if (driver === 'postgres') {
      const database = await createTestPostgresDatabase();
      cleanups.push(() => database.drop());
      yaml = yaml.replace(/^storage:\n {2}path: .*\n/m, `storage:\n  driver: postgres\n  url: ${database.url}\n`);
    }
    fs.writeFileSync(file, `${yaml}defaults:\n  meetings:\n    durationMinutes: 45\n`, { mode: 0o600 });
    return { cwd, file };
  }

  it('set/get/list/unset one server, with the audit naming the OS user; the YAML file is untouched', async () => {
    const { cwd, file } = await setup();
    const yaml = fs.readFileSync(file, 'utf8');

    expect(await runCli(['config', 'get', '--guild', G, 'meetings.durationMinutes'], { cwd })).toMatchObject({ code: 0, stdout: '45\n' });
    expect(await runCli(['config', 'set', '--guild', G, 'meetings.durationMinutes', '90'], { cwd })).toMatchObject({ code: 0, stdout: `set meetings.durationMinutes = 90 for guild ${G}\n` });
    expect(await runCli(['config', 'set', '--guild', G, 'roles.moderatorRoleIds', `1400000000000000001,<@&${ROLE}>`], { cwd })).toMatchObject({ code: 0 });
    expect(await runCli(['config', 'set', '--guild', G, 'meetings.durationMinutes', '90'], { cwd })).toMatchObject({ code: 0, stdout: `meetings.durationMinutes is already 90 for guild ${G}; nothing changed\n` });
    expect((await runCli(['config', 'get', '--guild', G, 'meetings.durationMinutes'], { cwd })).stdout).toBe('90\n');
    expect((await runCli(['config', 'get', '--guild', G, 'roles.moderatorRoleIds'], { cwd })).stdout).toBe(`["1400000000000000001","${ROLE}"]\n`);
    expect((await runCli(['config', 'get', '--guild', G, 'notifications.recordingReady.channelId'], { cwd })).stdout).toBe('(not set)\n');
    // The template can come from standard input (no shell quoting).
    expect((await runCli(['config', 'set', '--guild', G, 'notifications.sessionEnded.template', '-'], { cwd, stdin: '{title} is over: `{duration}`\n' })).code).toBe(0);

    const list = await runCli(['config', 'list', '--guild', G], { cwd });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^meetings\\.durationMinutes +90  \\(server, by ${me} \\d{4}-`, 'm'));
    expect(list.stdout).toMatch(/^meetings\.kind +meeting  \(default\)$/m);
    const json = JSON.parse((await runCli(['config', 'list', '--guild', G, '--json'], { cwd })).stdout) as { guild: string; keys: { key: string; value: unknown; source: string }[] };
    expect(json.guild).toBe(G);
    expect(json.keys.find((k) => k.key === 'notifications.sessionEnded.template')).toMatchObject({ value: '{title} is over: `{duration}`', source: 'server' });
    // Another server is untouched.
    expect((await runCli(['config', 'get', '--guild', '1200000000000000002', 'meetings.durationMinutes'], { cwd })).stdout).toBe('45\n');

    expect(await runCli(['config', 'unset', '--guild', G, 'meetings.durationMinutes'], { cwd })).toMatchObject({ code: 0, stdout: `unset meetings.durationMinutes for guild ${G} (the default applies: 45)\n` });
    expect((await runCli(['config', 'unset', '--guild', G, 'meetings.durationMinutes'], { cwd })).stdout).toBe(`meetings.durationMinutes was set for guild ${G}; nothing changed\n`);
    expect((await runCli(['config', 'get', '--guild', G, 'meetings.durationMinutes'], { cwd })).stdout).toBe('45\n');
    expect(fs.readFileSync(file, 'utf8')).toBe(yaml);

    // What the running bot reads: the audit trail, with the CLI user.
    const config = loadConfig(file, {});
    const bot = await openStore(config.storage, { logger: captureLogger().logger, instanceId: 'bot' });
    cleanups.push(() => bot.close());
    const settings = createGuildSettings({ store: bot.store, defaults: config.defaults, clock: { now: () => 0 }, changes: bot.changes });
    cleanups.push(async () => settings.close());
    expect((await settings.audit(G)).map((e) => [e.actor, e.key, e.oldValue, e.newValue])).toEqual([
      [me, 'meetings.durationMinutes', 90, undefined],
      [me, 'notifications.sessionEnded.template', undefined, '{title} is over: `{duration}`'],
      [me, 'roles.moderatorRoleIds', undefined, ['1400000000000000001', ROLE]],
      [me, 'meetings.durationMinutes', undefined, 90],
    ]);
    expect((await settings.policyFor(G)).moderatorRoleIds).toEqual(['1400000000000000001', ROLE]); // now cached by the bot

    const heard: string[] = [];
    bot.changes.subscribe('settings', (key) => heard.push(key));
    expect((await runCli(['config', 'unset', '--guild', G, 'all'], { cwd })).stdout.split('\n').filter(Boolean)).toHaveLength(2);
    // PostgreSQL: the CLI announced it (NOTIFY); SQLite: the bot sees the file changed (data_version).
    if (driver === 'postgres') await until('the bot to hear of the CLI’s change', () => heard.includes(G));
    expect((await settings.policyFor(G)).moderatorRoleIds).toEqual(config.defaults.roles.moderatorRoleIds);
    expect((await settings.view(G)).every((v) => v.source === 'default')).toBe(true);
  });

  it('refuses invalid values, unknown keys and bad server ids with a clear message, and changes nothing', async () => {
    const { cwd } = await setup();
    const cases: [string[], string][] = [
      [['set', '--guild', G, 'roles.moderatorRoleIds', 'moderators'], 'error: roles.moderatorRoleIds must be a Discord role id (17 to 20 digits) (item 1)\n'],
      [['set', '--guild', G, 'meetings.durationMinutes', '2000'], 'error: meetings.durationMinutes must be at most 1440\n'],
      [['set', '--guild', G, 'meetings.durationMinutes', 'long'], 'error: meetings.durationMinutes must be a whole number\n'],
      [['set', '--guild', G, 'permissions.startMeetings', 'admins'], 'error: permissions.startMeetings must be one of: manage-events, everyone\n'],
      [['set', '--guild', G, 'notifications.recordingReady.channelId', 'general'], 'error: notifications.recordingReady.channelId must be a Discord channel id (17 to 20 digits)\n'],
      [['set', '--guild', G, 'meetings.recrod', 'true'], 'error: unknown setting "meetings.recrod"; did you mean "meetings.record"?\n'],
      [['get', '--guild', G, 'discord.token'], 'error: unknown setting "discord.token"; the settings are: '],
      [['set', '--guild', 'campus', 'meetings.record', 'true'], 'error: --guild must be a Discord server id (17 to 20 digits), not "campus"\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await runCli(['config', ...args], { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.startsWith(stderr), r.stderr).toBe(true);
    }
    const list = await runCli(['config', 'list', '--guild', G], { cwd });
    expect(list.stdout).not.toContain('(server');
  });
});
