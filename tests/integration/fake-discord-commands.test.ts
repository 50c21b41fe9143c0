import { ApplicationCommandOptionType, DiscordAPIError, REST, Routes, type ApplicationCommandDataResolvable } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord';
import { loginTestClient, type TestClient } from '../fakes/discord/test-client';

const GUILD = '1200000000000000001';
const APP = '1100000000000000001';
const entryPoint = { name: 'launch', description: 'Launch Kaltura', type: 4, handler: 2 } as const;
const kaltura: ApplicationCommandDataResolvable = {
  name: 'kaltura',
  description: 'Kaltura meetings',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'start',
      description: 'Start a meeting',
      options: [{ type: ApplicationCommandOptionType.String, name: 'title', description: 'Title', required: true }],
    },
  ],
};

async function rejectionOf(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
  return error;
}

describe('fake Discord application commands', () => {
  let discord: FakeDiscord;
  let bot: TestClient;

  beforeAll(async () => {
    discord = await startFakeDiscord({
      applicationId: APP,
      guilds: [{ id: GUILD, name: 'Campus', channels: [{ id: '1300000000000000001', name: 'general' }] }],
      commands: { global: [entryPoint] },
    });
    bot = await loginTestClient(discord);
  });
  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('stores guild commands per scope with id, application_id, version and guild_id', async () => {
    const created = await bot.client.application.commands.set([kaltura], GUILD);
    const stored = discord.commands(GUILD);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: 'kaltura', application_id: APP, guild_id: GUILD, type: 1 });
    expect(stored[0]?.id).toMatch(/^\d{17,19}$/);
    expect(created.first()?.id).toBe(stored[0]?.id);
    expect(discord.commands().map((c) => c.name)).toEqual(['launch']);

    // Same name and type again: the id stays; the version changes only with the definition.
    const again = await bot.client.application.commands.set([kaltura], GUILD);
    expect(again.first()?.id).toBe(stored[0]?.id);
    expect(again.first()?.version).toBe(stored[0]?.version);
    const changed = await bot.client.application.commands.set([{ ...kaltura, description: 'Kaltura video meetings' }], GUILD);
    expect(changed.first()?.id).toBe(stored[0]?.id);
    expect(changed.first()?.version).not.toBe(stored[0]?.version);
    const listed = (await bot.client.rest.get(Routes.applicationGuildCommands(APP, GUILD))) as { description: string }[];
    expect(listed.map((c) => c.description)).toEqual(['Kaltura video meetings']);
  });

  it('rejects a required option after an optional one with 50035', async () => {
    const error = await rejectionOf(
      bot.client.application.commands.set(
        [
          {
            name: 'kaltura',
            description: 'Kaltura meetings',
            options: [
              { type: ApplicationCommandOptionType.String, name: 'note', description: 'Note' },
              { type: ApplicationCommandOptionType.String, name: 'title', description: 'Title', required: true },
            ],
          },
        ],
        GUILD,
      ),
    );
    expect(error.code).toBe(50035);
    expect(error.message).toBe(
      'Invalid Form Body\n0.options[1][APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID]: Required options must be placed before non-required options',
    );
    expect(discord.commands(GUILD)[0]?.description).toBe('Kaltura video meetings');
  });

  it('rejects invalid names and too many options with 50035', async () => {
    const tooMany = Array.from({ length: 26 }, (_, n) => ({ type: ApplicationCommandOptionType.String, name: `o${n}`, description: 'd' }));
    const rest = new REST({ api: discord.apiBaseUrl }).setToken(discord.token);
    const error = await rejectionOf(
      rest.put(Routes.applicationGuildCommands(APP, GUILD), {
        body: [
          { name: 'Kaltura', description: 'Upper case' },
          { name: 'many', description: 'Too many options', options: tooMany },
        ],
      }),
    );
    expect(error.message).toContain('0.name[APPLICATION_COMMAND_INVALID_NAME]');
    expect(error.message).toContain('1.options[BASE_TYPE_MAX_LENGTH]: Must be 25 or fewer in length.');
  });

  it('refuses a global bulk overwrite that would remove the entry point command (50240)', async () => {
    const error = await rejectionOf(bot.client.application.commands.set([kaltura]));
    expect([error.status, error.code]).toEqual([400, 50240]);
    expect(error.message).toContain("You cannot remove this app's Entry Point command in a bulk update operation");
    expect(discord.commands().map((c) => c.name)).toEqual(['launch']);

    const launch = discord.commands()[0];
    const saved = await bot.client.application.commands.set([kaltura, { name: 'launch', description: 'Launch Kaltura', type: 4, handler: 2 } as ApplicationCommandDataResolvable]);
    expect(saved.map((c) => c.name).sort()).toEqual(['kaltura', 'launch']);
    expect(discord.commands().find((c) => c.type === 4)?.id).toBe(launch?.id);
  });
});
