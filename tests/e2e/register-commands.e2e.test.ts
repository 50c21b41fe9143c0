import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/discord/commands/kaltura-command';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { commentedConfig, GOOD } from '../helpers/config-fixtures';
import { runCli } from '../helpers/run-cli';
import { useTempDirs } from '../helpers/temp-dir';

const GUILD = '1200000000000000001';
const writes = (d: FakeDiscord) => d.requests.filter((r) => r.method !== 'GET' && r.path.includes('/commands'));

describe('kaltura-discord register-commands against the fake Discord', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscord | undefined;
  afterEach(async () => {
    await discord?.close();
    discord = undefined;
  });

  async function setup(seed?: Parameters<typeof startFakeDiscord>[0]) {
    discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, guilds: [{ id: GUILD, name: 'Campus', channels: [], roles: [] }], ...seed });
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig().replace('discord:\n', `discord:\n  apiBaseUrl: ${discord.apiBaseUrl}\n`), { mode: 0o600 });
    return cwd;
  }

  it('--dry-run shows the diff and writes nothing; a real run writes; a second run writes nothing', async () => {
    const cwd = await setup();
    const dry = await runCli(['register-commands', '--dry-run'], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Global commands for application ${GOOD.applicationId}:\n  + kaltura (new)\n  + kaltura-admin (new)\nDry run: nothing was written.`);
    expect(writes(discord!)).toEqual([]);

    const real = await runCli(['register-commands'], { cwd });
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`Registered ${commandDefinitions.length} command(s).`);
    expect(writes(discord!)).toHaveLength(1);
    expect(discord!.commands().map((c) => c.name)).toEqual(commandDefinitions.map((c) => c.name));

    const again = await runCli(['register-commands'], { cwd });
    expect(again.stdout).toContain('  = kaltura (up to date)\n  = kaltura-admin (up to date)\nNothing to change.');
    expect(writes(discord!)).toHaveLength(1);
  });

  it('keeps an Activity entry point that already exists (Discord refuses a bulk overwrite dropping it) and removes stale commands', async () => {
    const cwd = await setup({
      commands: {
        global: [
          { name: 'launch', description: 'Launch the Activity', type: 4, handler: 2, contexts: [0, 1, 2], integration_types: [0, 1] },
          { name: 'meet', description: 'An old command', type: 1 },
        ],
      },
    } as Parameters<typeof startFakeDiscord>[0]);
    const r = await runCli(['register-commands'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  - meet (no longer defined; will be removed)');
    expect(r.stdout).toContain('  = launch (Activity entry point, kept)');
    expect(discord!.commands().map((c) => c.name).sort()).toEqual([...commandDefinitions.map((c) => c.name), 'launch'].sort());
  });

  it('--guild writes to that server only', async () => {
    const cwd = await setup();
    const r = await runCli(['register-commands', '--guild', GUILD], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Commands of server ${GUILD}`);
    expect(discord!.commands(GUILD).map((c) => c.name)).toEqual(commandDefinitions.map((c) => c.name));
    expect(discord!.commands()).toEqual([]);
  });

  it('--guild a second time reports every command unchanged (Discord drops contexts/integration_types from guild commands)', async () => {
    const cwd = await setup();
    await runCli(['register-commands', '--guild', GUILD], { cwd });
    const stored = discord!.commands(GUILD);
    expect(stored.every((c) => !('contexts' in c) && !('integration_types' in c))).toBe(true);
    const again = await runCli(['register-commands', '--guild', GUILD], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('  = kaltura (up to date)\n  = kaltura-admin (up to date)\nNothing to change.');
    expect(writes(discord!)).toHaveLength(1);
  });

  it('explains a rejected token in plain words', async () => {
    const cwd = await setup();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig().replace('discord:\n', `discord:\n  apiBaseUrl: ${discord!.apiBaseUrl}\n`).replace(GOOD.token, 'MTk5OTk5OTk5OTk5OTk5OTk5OQ.XxXxXx.000000000000000000000000000'), { mode: 0o600 });
    const r = await runCli(['register-commands'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Discord refused: .*HTTP 401.*the bot token is wrong/);
  });
});
