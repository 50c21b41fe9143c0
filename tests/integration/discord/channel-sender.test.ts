import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordChannelSender } from '../../../src/discord/discord-channel-sender';
import { DiscordUpstreamError } from '../../../src/discord/discord-upstream-error';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index';
import { GOOD } from '../../helpers/config-fixtures';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const OTHER = '1300000000000000002';

describe('the Discord channel sender (real discord.js REST against the fake Discord)', () => {
  let discord: FakeDiscord;
  let rest: REST;
  beforeAll(async () => {
    discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, guilds: [{ id: GUILD, name: 'Campus', channels: [{ id: CHANNEL, name: 'a' }, { id: OTHER, name: 'b' }], roles: [] }] });
    rest = new REST({ api: discord.apiBaseUrl, retries: 1 }).setToken(GOOD.token);
  });
  afterAll(() => discord.close());

  it('posts a reply with a Watch link button that pings nobody', async () => {
    const sender = createDiscordChannelSender(rest);
    const card = await sender.send(CHANNEL, { content: 'card' }, 'card-nonce-1');
    const id = await sender.send(CHANNEL, { content: '🎬 ready @everyone <@&1400000000000000001>', replyToMessageId: card, linkButtons: [{ label: 'Watch', url: 'https://example.org/w/1' }] }, 'nonce-reply-1');
    const request = discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`).at(-1)!;
    expect(request.body).toMatchObject({
      allowed_mentions: { parse: [] },
      nonce: 'nonce-reply-1',
      enforce_nonce: true,
      message_reference: { message_id: card, fail_if_not_exists: false },
      components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Watch', url: 'https://example.org/w/1' }] }],
    });
    expect(discord.message(id)?.message_reference).toMatchObject({ message_id: card });
  });

  it('sends the same message once however often it is retried with the same nonce', async () => {
    const sender = createDiscordChannelSender(rest);
    const before = discord.channelMessages(CHANNEL).length;
    const a = await sender.send(CHANNEL, { content: 'once' }, 'nonce-dup-1');
    const b = await sender.send(CHANNEL, { content: 'once' }, 'nonce-dup-1');
    expect(b).toBe(a);
    expect(discord.channelMessages(CHANNEL).length).toBe(before + 1);
  });

  it('waits out 429s and still posts once', async () => {
    const sender = createDiscordChannelSender(rest);
    discord.rateLimitNext({ method: 'POST', path: new RegExp(`/channels/${OTHER}/messages$`) }, { count: 2, retryAfterMs: 100 });
    const before = discord.channelMessages(OTHER).length;
    await sender.send(OTHER, { content: 'after a rate limit' }, 'nonce-429-1');
    expect(discord.channelMessages(OTHER).length).toBe(before + 1);
  });

  it('classifies failures: missing access is permanent, a server error is retryable', async () => {
    const sender = createDiscordChannelSender(rest);
    discord.denyChannel(OTHER, 50001);
    const denied = await sender.send(OTHER, { content: 'x' }, 'nonce-deny-1').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(DiscordUpstreamError);
    expect(denied).toMatchObject({ retryable: false, code: 50001, isPermission: true });
    discord.allowChannel(OTHER);
    discord.failNext({ method: 'POST', path: new RegExp(`/channels/${OTHER}/messages$`) }, { count: 5, status: 502 });
    const flaky = await sender.send(OTHER, { content: 'x' }, 'nonce-502-1').catch((e: unknown) => e);
    expect(flaky).toMatchObject({ retryable: true });
  });
});
