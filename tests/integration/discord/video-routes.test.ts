import { REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingService } from '../../../src/core/meetings/meeting-service';
import { commandDefinitions } from '../../../src/discord/commands/kaltura-command';
import { createDiscordVideoCards } from '../../../src/discord/discord-video-cards';
import { createGatewayBot, type GatewayBot } from '../../../src/discord/gateway/create-gateway-bot';
import { createDispatcher } from '../../../src/discord/interactions/create-dispatcher';
import { mediaInteractionRoutes } from '../../../src/modules/media-module';
import { meetingInteractionRoutes } from '../../../src/modules/meetings-module';
import { liveMarkup, shownText } from '../../e2e/discord-markup';
import { buttonsOf } from '../../e2e/meeting-harness';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index';
import { captureLogger } from '../../helpers/capture-logger';
import { GOOD } from '../../helpers/config-fixtures';
import { fakeMediaService, videoEntry, type FakeMediaService } from '../../helpers/fake-media-service';

/** The command routes as the app registers them (the meetings and media modules' lists). */
const interactionRoutes = [...meetingInteractionRoutes, ...mediaInteractionRoutes];

const GUILD = '1200000000000000001';
const OTHER_GUILD = '1200000000000000002';
const CHANNEL = '1300000000000000001';
const OTHER_CHANNEL = '1300000000000000009';
const HOSTILE = '**@everyone** <#1>';
const EVERYONE = (1n << 10n) | (1n << 11n) | (1n << 16n);
const alice = { id: '1500000000000000001', username: 'alice', nick: HOSTILE };
const bob = { id: '1500000000000000002', username: 'bob' };

/**
 * The video routes as a member meets them: the real discord.js gateway bot and REST against the
 * fake Discord (which validates every callback, message, button and the command definitions), with
 * a hand-written MediaService in place of the Kaltura-backed one.
 */
describe('search, share, Watch and Watch together over the wire (real discord.js, fake Discord)', () => {
  let discord: FakeDiscord;
  let bot: GatewayBot;
  let media: FakeMediaService;
  let mediaOff: FakeMediaService;
  let useActivityOff = false;

  beforeAll(async () => {
    discord = await startFakeDiscord({
      applicationId: GOOD.applicationId,
      token: GOOD.token,
      guilds: [
        { id: GUILD, name: 'Campus', channels: [{ id: CHANNEL, name: 'lectures' }], roles: [{ id: GUILD, name: '@everyone', permissions: EVERYONE }] },
        { id: OTHER_GUILD, name: 'Elsewhere', channels: [{ id: OTHER_CHANNEL, name: 'x' }], roles: [{ id: OTHER_GUILD, name: '@everyone', permissions: EVERYONE }] },
      ],
    });
    const libraries = {
      [GUILD]: [videoEntry({ id: '1_waves1', name: `${HOSTILE} waves`, description: `${HOSTILE} [free nitro](https://evil.example)`, ownerId: 'discord_1500000000000000002' }), videoEntry({ id: '1_waves2', name: 'Waves, week 2' })],
      [OTHER_GUILD]: [videoEntry({ id: '1_secret', name: 'Elsewhere waves' })],
    };
    media = fakeMediaService(libraries);
    mediaOff = fakeMediaService(libraries, { activityEnabled: false });
    const rest = new REST({ api: discord.apiBaseUrl, retries: 1 }).setToken(GOOD.token);
    await rest.put(Routes.applicationGuildCommands(GOOD.applicationId, GUILD), { body: commandDefinitions }); // the fake validates them as Discord would
    const real = createDispatcher({ routes: interactionRoutes, services: { meetings: {} as MeetingService, media, videoCards: createDiscordVideoCards(rest) }, logger: captureLogger().logger });
    const off = createDispatcher({ routes: interactionRoutes, services: { meetings: {} as MeetingService, media: mediaOff, videoCards: createDiscordVideoCards(rest) }, logger: captureLogger().logger });
    bot = createGatewayBot({ token: GOOD.token, apiBaseUrl: discord.apiBaseUrl, dispatcher: { dispatch: (r, s) => (useActivityOff ? off : real).dispatch(r, s) }, logger: captureLogger().logger });
    await bot.start();
    await discord.waitForIdentify();
  }, 20_000);
  afterAll(async () => {
    await bot?.stop();
    await discord?.close();
  });

  it('search → Share → a public card that shows Kaltura text as text → Watch gives a personal link → Watch together launches the Activity', async () => {
    const search = discord.invokeCommand({ guildId: GUILD, channelId: CHANNEL, member: alice, name: 'kaltura', subcommand: 'search', options: { query: 'waves' } });
    expect(await search.acknowledged).toMatchObject({ type: 5, data: { flags: 64 } });
    const results = await search.reply();
    expect(results.ephemeral).toBe(true);
    expect(results.embeds).toHaveLength(2);
    for (const embed of results.embeds) expect(liveMarkup(`${embed.title} ${embed.description ?? ''}`)).toEqual([]);
    expect(shownText(results.embeds[0]!.title!)).toBe(`#1 ${HOSTILE} waves`);
    expect(buttonsOf(results).map((b) => b.label)).toEqual(['Share #1', 'Watch together #1', 'Share #2', 'Watch together #2']);
    expect(JSON.stringify(results)).not.toContain('1_secret');

    const before = discord.channelMessages(CHANNEL).length;
    const share = discord.clickButton({ guildId: GUILD, channelId: CHANNEL, member: alice, fromReply: search, customId: 'kaltura:share:1_waves1' });
    const confirmation = await share.reply();
    expect(confirmation.ephemeral).toBe(true);
    expect(liveMarkup(confirmation.content)).toEqual([]);
    const cards = discord.channelMessages(CHANNEL).slice(before);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect((card.flags ?? 0) & 64).toBe(0); // public
    const embed = card.embeds[0]!;
    expect(liveMarkup(`${embed.title} ${embed.description}`)).toEqual([]);
    expect(shownText(embed.title!)).toBe(`${HOSTILE} waves`);
    expect(embed.thumbnail?.url).toBe('https://cdn.example/p/1/thumbnail/entry_id/1_waves1');
    expect(embed.footer?.text).toBe(`Shared by ${HOSTILE}`);
    expect(embed.fields).toContainEqual({ name: 'Length', value: '10:00', inline: true });
    const sent = discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`).at(-1)!;
    expect(sent.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(buttonsOf(card).map((b) => [b.label, b.custom_id])).toEqual([['Watch', 'kaltura:watch:1_waves1'], ['Watch together', 'kaltura:together:1_waves1']]);

    // Bob, another member, presses Watch on the public card: his own link, only he sees it.
    const watch = await discord.clickButton({ guildId: GUILD, channelId: CHANNEL, member: bob, messageId: card.id, customId: 'kaltura:watch:1_waves1' }).reply();
    expect(watch.ephemeral).toBe(true);
    expect(buttonsOf(watch)).toEqual([expect.objectContaining({ style: 5, url: 'https://bot.example/v/token-1' })]);
    expect(media.calls.filter((c) => c.method === 'issueWatchLink')).toEqual([{ method: 'issueWatchLink', actorId: bob.id, guildId: GUILD, args: ['1_waves1'] }]);

    // Watch together: answered with LAUNCH_ACTIVITY in time, the intent recorded first.
    const together = discord.clickButton({ guildId: GUILD, channelId: CHANNEL, member: bob, messageId: card.id, customId: 'kaltura:together:1_waves1' });
    const ack = await together.acknowledged;
    expect(ack.type).toBe(12);
    expect(together.callbacks.map((c) => [c.type, c.status])).toEqual([[12, 204]]);
    expect(discord.launchedActivity(together)).toBeDefined();
    expect(media.launches).toEqual([{ userId: bob.id, guildId: GUILD, channelId: CHANNEL, entryId: '1_waves1' }]);
  }, 20_000);

  it('another server’s video cannot be shared here, and nothing is posted', async () => {
    const before = discord.channelMessages(CHANNEL).length;
    const refused = await discord.invokeCommand({ guildId: GUILD, channelId: CHANNEL, member: alice, name: 'kaltura', subcommand: 'share', options: { entry: '1_secret' } }).reply();
    expect(refused).toMatchObject({ ephemeral: true, content: 'No such video in this server’s library.' });
    expect(discord.channelMessages(CHANNEL)).toHaveLength(before);
  });

  it('autocomplete offers only this server’s videos, within Discord’s limits', async () => {
    const typing = discord.autocomplete({ guildId: GUILD, channelId: CHANNEL, member: alice, name: 'kaltura', subcommand: 'share', focused: 'entry', value: 'wav' });
    const ack = await typing.acknowledged;
    expect(ack.type).toBe(8);
    expect(ack.data.choices.map((c: { value: string }) => c.value)).toEqual(['1_waves1', '1_waves2']);
  });

  it('when the portal’s Activities switch is off, Watch together says what the operator must do instead of an apology', async () => {
    await discord.invokeCommand({ guildId: GUILD, channelId: CHANNEL, member: alice, name: 'kaltura', subcommand: 'share', options: { entry: '1_waves2' } }).reply();
    const card = discord.channelMessages(CHANNEL).at(-1)!;
    discord.setActivitiesEnabled(false);
    try {
      const together = discord.clickButton({ guildId: GUILD, channelId: CHANNEL, member: bob, messageId: card.id, customId: 'kaltura:together:1_waves2' });
      const reply = await together.reply();
      expect(together.callbacks.map((c) => [c.type, c.status])).toEqual([[12, 400], [4, 204]]);
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/enable Activities for the application in the Discord developer portal/);
    } finally {
      discord.setActivitiesEnabled(true);
    }
  });

  it('once the Activity is switched off, cards no longer offer Watch together, and an older card’s button explains instead of launching', async () => {
    const share = (entry: string) => discord.invokeCommand({ guildId: GUILD, channelId: CHANNEL, member: alice, name: 'kaltura', subcommand: 'share', options: { entry } }).reply();
    await share('1_waves2');
    const card = discord.channelMessages(CHANNEL).at(-1)!; // posted while it was set up
    useActivityOff = true;
    try {
      await share('1_waves2');
      expect(buttonsOf(discord.channelMessages(CHANNEL).at(-1)!).map((b) => b.label)).toEqual(['Watch']);
      const together = discord.clickButton({ guildId: GUILD, channelId: CHANNEL, member: bob, messageId: card.id, customId: 'kaltura:together:1_waves2' });
      const reply = await together.reply();
      expect((await together.acknowledged).type).toBe(4);
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/not set up/);
      expect(mediaOff.launches).toEqual([]);
    } finally {
      useActivityOff = false;
    }
  });
});
