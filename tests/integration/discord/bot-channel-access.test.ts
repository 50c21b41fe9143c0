import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotChannelAccess } from '../../../src/discord/bot-channel-access';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../../fakes/discord';
import { loginTestClient, type TestClient } from '../../fakes/discord/test-client';

/**
 * The bot's own permission check (set-channel, status, doctor) over REST against the fake Discord:
 * a bot in a timeout keeps only View Channel and Read Message History, so it cannot post cards.
 * @see https://discord.com/developers/docs/topics/permissions#permissions-for-timed-out-members
 */

const APP = '1620000000000000001';
const [FREE, TIMED_OUT] = ['1220000000000000011', '1220000000000000012'];
const [FREE_CHANNEL, TIMED_OUT_CHANNEL] = ['1320000000000000011', '1320000000000000012'];
const BOT_ROLE = '1420000000000000011';
const { VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY } = PERMISSIONS;
const EVERYONE = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY;

const guild = (id: string, channelId: string, timedOutUntil?: string) => ({
  id,
  name: `guild ${id.slice(-2)}`,
  roles: [
    { id, name: '@everyone', permissions: EVERYONE },
    { id: BOT_ROLE, name: 'Kaltura Meetings', permissions: 0n },
  ],
  members: [{ id: APP, username: 'Kaltura Meetings', roles: [BOT_ROLE], ...(timedOutUntil && { timedOutUntil }) }],
  channels: [{ id: channelId, name: 'general' }],
});

describe('createBotChannelAccess', () => {
  let discord: FakeDiscord;
  let bot: TestClient;

  beforeAll(async () => {
    discord = await startFakeDiscord({
      applicationId: APP,
      guilds: [guild(FREE, FREE_CHANNEL), guild(TIMED_OUT, TIMED_OUT_CHANNEL, new Date(Date.now() + 3_600_000).toISOString())],
    });
    bot = await loginTestClient(discord);
  });
  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('finds nothing missing where the bot may post, and Send Messages and Embed Links missing while it is timed out', async () => {
    const access = createBotChannelAccess(bot.client.rest);
    expect(await access.problemIn(FREE_CHANNEL)).toBeUndefined();
    const problem = await access.problemIn(TIMED_OUT_CHANNEL);
    expect(problem).toMatchObject({ kind: 'missing-permissions', missing: ['Send Messages', 'Embed Links'] });
    expect(problem!.detail).toMatch(/timed out/);
  });
});
