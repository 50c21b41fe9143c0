import { DiscordAPIError, Routes, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord';
import { loginTestClient, type TestClient } from '../fakes/discord/test-client';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const QUIET = '1300000000000000002';
const DENIED = '1300000000000000003';
const messagesOf = Routes.channelMessages(CHANNEL);

async function rejectionOf(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
  return error;
}

describe('fake Discord REST with a real discord.js Client', () => {
  let discord: FakeDiscord;
  let bot: TestClient;
  let channel: TextChannel;

  beforeAll(async () => {
    discord = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: 'Campus',
          channels: [
            { id: CHANNEL, name: 'general' },
            { id: QUIET, name: 'quiet' },
            { id: DENIED, name: 'staff' },
          ],
        },
      ],
    });
    bot = await loginTestClient(discord);
    channel = bot.client.channels.cache.get(CHANNEL) as TextChannel;
  });
  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('stores channel.send in the channel and answers with a full message object', async () => {
    const sent = await channel.send({ content: 'Meeting "Physics" started', allowedMentions: { parse: [] } });
    expect(sent.id).toMatch(/^\d{17,19}$/);
    expect(sent.author.id).toBe(discord.botUser.id);
    const stored = discord.channelMessages(CHANNEL).at(-1);
    expect(stored).toMatchObject({ id: sent.id, channel_id: CHANNEL, content: 'Meeting "Physics" started', edited_timestamp: null, type: 0 });
    const request = discord.requests.find((r) => r.method === 'POST' && r.path === messagesOf);
    expect(request?.body.allowed_mentions).toEqual({ parse: [] });

    const edited = await sent.edit({ content: 'Meeting "Physics" ended' });
    expect(edited.editedTimestamp).not.toBeNull();
    const reply = await sent.reply({ content: 'recording ready' });
    expect(discord.message(reply.id)?.message_reference?.message_id).toBe(sent.id);
    const listed = (await bot.client.rest.get(messagesOf, { query: new URLSearchParams({ limit: '2' }) })) as { id: string }[];
    expect(listed.map((m) => m.id)).toEqual([reply.id, sent.id]);
    await reply.delete();
    expect(discord.channelMessages(CHANNEL).map((m) => m.id)).not.toContain(reply.id);
    expect((await rejectionOf(bot.client.rest.get(Routes.channelMessage(CHANNEL, reply.id)))).code).toBe(10008);
  });

  it('de-duplicates a POST with the same nonce when enforce_nonce is true', async () => {
    const quiet = bot.client.channels.cache.get(QUIET) as TextChannel;
    const first = await quiet.send({ content: 'once', nonce: 'kd-123', enforceNonce: true });
    const second = await quiet.send({ content: 'once', nonce: 'kd-123', enforceNonce: true });
    expect(second.id).toBe(first.id);
    const third = await quiet.send({ content: 'once', nonce: 'kd-123' });
    expect(third.id).not.toBe(first.id);
    expect(discord.channelMessages(QUIET).map((m) => m.id)).toEqual([first.id, third.id]);
  });

  it('lets discord.js retry injected 429s transparently, and the message arrives once', async () => {
    const before = discord.channelMessages(CHANNEL).length;
    discord.rateLimitNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, { count: 2, retryAfterMs: 150 });
    const started = Date.now();
    const sent = await channel.send('after the rate limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const attempts = discord.requests.filter((r) => r.body?.content === 'after the rate limit');
    expect(attempts.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(discord.channelMessages(CHANNEL)).toHaveLength(before + 1);
    expect(discord.channelMessages(CHANNEL).at(-1)?.id).toBe(sent.id);
  });

  it('sends 429 headers and body like Discord, including a global limit', async () => {
    discord.rateLimitNext({ path: '/users/@me' }, { retryAfterMs: 200, global: true });
    const res = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: `Bot ${discord.token}` } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('0.200');
    expect(res.headers.get('x-ratelimit-global')).toBe('true');
    expect(res.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await res.json()).toEqual({ message: 'You are being rate limited.', retry_after: 0.2, global: true });
    const okRes = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: `Bot ${discord.token}` } });
    expect(okRes.status).toBe(200);
    for (const header of ['limit', 'remaining', 'reset', 'reset-after', 'bucket']) expect(okRes.headers.get(`x-ratelimit-${header}`)).toBeTruthy();
  });

  it('enforces a per-channel message limit with correct headers when asked to', async () => {
    discord.limitChannelMessages({ limit: 2, windowMs: 400 });
    try {
      const post = () =>
        fetch(`${discord.apiBaseUrl}/v10/channels/${QUIET}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'burst' }),
        });
      const statuses = [];
      for (let n = 0; n < 3; n++) statuses.push(await post());
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(statuses[1]?.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(statuses[2]?.headers.get('x-ratelimit-scope')).toBe('user');
      expect(Number(statuses[2]?.headers.get('retry-after'))).toBeGreaterThan(0);
      // discord.js reads the headers and waits for the window instead of hitting the 429.
      await new Promise((r) => setTimeout(r, 450));
      const quiet = bot.client.channels.cache.get(QUIET) as TextChannel;
      const started = Date.now();
      for (let n = 0; n < 3; n++) await quiet.send(`paced ${n}`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(discord.requests.filter((r) => r.body?.content?.startsWith?.('paced')).map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      discord.limitChannelMessages(false);
    }
  });

  it('fails the next requests with a 5xx or a reset, which discord.js retries', async () => {
    discord.failNext({ method: 'POST', path: messagesOf }, { count: 1, status: 502 });
    discord.failNext({ method: 'POST', path: messagesOf }, { count: 1, reset: true });
    const sent = await channel.send('survived');
    const tail = discord.requests.slice(-3);
    expect(tail.map((r) => r.injected ?? r.status)).toEqual(['fail', 'reset', 200]);
    expect(discord.channelMessages(CHANNEL).filter((m) => m.content === 'survived').map((m) => m.id)).toEqual([sent.id]);
  });

  it('validates message bodies like Discord (50035 with error paths, 50006 when empty)', async () => {
    const post = (body: unknown) => rejectionOf(bot.client.rest.post(messagesOf, { body }));
    const tooLong = await post({ content: 'x'.repeat(2001) });
    expect(tooLong.code).toBe(50035);
    expect(tooLong.rawError).toMatchObject({ errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    const embeds = await post({ embeds: [{ title: 't'.repeat(257), fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] });
    expect(embeds.message).toContain('embeds[0].title[BASE_TYPE_MAX_LENGTH]');
    expect(embeds.message).toContain('embeds[0].fields[BASE_TYPE_MAX_LENGTH]');
    const huge = await post({ embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] });
    expect(huge.message).toContain('MAX_EMBED_SIZE_EXCEEDED');
    const row = (components: unknown[]) => ({ type: 1, components });
    const button = (n: number) => ({ type: 2, style: 1, label: `b${n}`, custom_id: `c${n}` });
    const tooManyRows = await post({ components: Array.from({ length: 6 }, (_, n) => row([button(n)])) });
    expect(tooManyRows.message).toBe('Invalid Form Body\ncomponents[BASE_TYPE_MAX_LENGTH]: Must be 5 or fewer in length.');
    const components = await post({
      components: [
        row([1, 2, 3, 4, 5, 6].map(button)),
        row([{ type: 2, style: 5, label: 'Open', custom_id: 'x' }, { type: 2, style: 5, label: 'Open' }, { type: 2, style: 1, label: 'No id' }]),
        row([{ type: 2, style: 1, label: 'long', custom_id: 'x'.repeat(101) }]),
        row([button(1), button(1)]),
      ],
    });
    expect(components.message).toContain('components[0].components[BASE_TYPE_BAD_LENGTH]');
    expect(components.message).toContain('components[1].components[0].custom_id[BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE]');
    expect(components.message).toContain('components[1].components[1].url[BUTTON_COMPONENT_URL_REQUIRED]');
    expect(components.message).toContain('components[1].components[2].custom_id[BUTTON_COMPONENT_CUSTOM_ID_REQUIRED]');
    expect(components.message).toContain('components[2].components[0].custom_id[BASE_TYPE_BAD_LENGTH]');
    expect(components.message).toContain('components[3].components[1].custom_id[COMPONENT_CUSTOM_ID_DUPLICATED]');
    const empty = await post({ content: '' });
    expect([empty.status, empty.code]).toEqual([400, 50006]);
  });

  it('answers unknown and denied channels with 10003, 50001 and 50013', async () => {
    expect((await rejectionOf(bot.client.rest.post(Routes.channelMessages('1399999999999999999'), { body: { content: 'x' } }))).code).toBe(10003);
    discord.denyChannel(DENIED);
    const staff = bot.client.channels.cache.get(DENIED) as TextChannel;
    const denied = await rejectionOf(staff.send('hello'));
    expect([denied.status, denied.code, denied.message]).toEqual([403, 50001, 'Missing Access']);
    discord.denyChannel(DENIED, 50013);
    expect((await rejectionOf(staff.send('hello'))).code).toBe(50013);
    expect(await bot.client.rest.get(Routes.channelMessages(DENIED))).toEqual([]);
    discord.allowChannel(DENIED);
    await expect(staff.send('hello')).resolves.toBeDefined();
  });

  it('requires the bot token on bot routes', async () => {
    const res = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    const app = (await bot.client.rest.get(Routes.currentApplication())) as { id: string; verify_key: string };
    expect(app).toMatchObject({ id: discord.applicationId, verify_key: discord.verifyKey });
  });

  it('leaves no client errors behind', () => {
    expect(bot.errors).toEqual([]);
    expect(discord.internalErrors).toEqual([]);
  });
});
