import { once } from 'node:events';
import { ChannelType, Events, GatewayIntentBits, type Interaction, type Message, type TextChannel } from 'discord.js';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord';
import { loginTestClient, type TestClient } from '../fakes/discord/test-client';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const TEACHERS = '1400000000000000001';
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123';

describe('fake Discord gateway with a real discord.js Client', () => {
  let discord: FakeDiscord;
  let bot: TestClient;
  const seen: Interaction[] = [];

  beforeAll(async () => {
    discord = await startFakeDiscord({
      applicationId: '1100000000000000001',
      token: TOKEN,
      guilds: [
        {
          id: GUILD,
          name: 'Campus',
          channels: [{ id: CHANNEL, name: 'general' }],
          roles: [
            // Members see #general (the fake, like Discord, takes no interaction from a channel one cannot view).
            { id: GUILD, name: '@everyone', permissions: String(1n << 10n) },
            { id: TEACHERS, name: 'Teachers' },
          ],
        },
      ],
    });
    bot = await loginTestClient(discord);
    bot.client.on(Events.InteractionCreate, (interaction) => {
      seen.push(interaction);
      if (interaction.isChatInputCommand()) interaction.reply({ content: 'pong' }).catch(() => undefined);
    });
  });
  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('logs in through GET /gateway/bot, IDENTIFY and READY, with the guild, channels and roles cached', async () => {
    const identify = await discord.waitForIdentify();
    expect(identify.intents).toBe(GatewayIntentBits.Guilds);
    expect(identify.shard).toEqual([0, 1]);
    expect(bot.client.application.id).toBe('1100000000000000001');
    expect(bot.client.user.bot).toBe(true);
    const guild = bot.client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Campus');
    expect(guild?.channels.cache.get(CHANNEL)?.type).toBe(ChannelType.GuildText);
    expect(guild?.roles.cache.get(TEACHERS)?.name).toBe('Teachers');
    const gatewayCall = discord.requests.find((r) => r.path === '/gateway/bot');
    expect(gatewayCall).toMatchObject({ method: 'GET', status: 200, authorization: `Bot ${TOKEN}` });
  });

  it('acknowledges heartbeats with op 11 (discord.js measures a ping)', async () => {
    const deadline = Date.now() + 3000;
    while (discord.gateway.heartbeats === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(discord.gateway.heartbeats).toBeGreaterThan(0);
    expect(discord.gateway.received.some((f) => f.op === 1)).toBe(true);
    while (bot.client.ws.ping < 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(bot.client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('resumes after a dropped connection, replays what was missed, and keeps delivering interactions', async () => {
    discord.dropGatewayConnection();
    // Dispatched while the bot is disconnected: Discord keeps it for the RESUME.
    const missed = discord.invokeCommand({ name: 'ping' });
    const resumed = await discord.waitForResume();
    expect(resumed.replayed).toBeGreaterThanOrEqual(1);
    expect((await missed.reply()).content).toBe('pong');
    const after = discord.invokeCommand({ name: 'ping', member: { id: '1500000000000000001', username: 'alice', roles: [TEACHERS] } });
    expect((await after.reply()).content).toBe('pong');
    expect(discord.gateway.identifies).toHaveLength(1);
    expect(discord.gateway.connections).toBe(2);
    const last = seen.at(-1);
    expect(last?.isChatInputCommand() && last.inCachedGuild() && last.member.roles.cache.has(TEACHERS)).toBe(true);
  });

  it('resumes after op 7 RECONNECT', async () => {
    discord.sendReconnect();
    await discord.waitForResume({ count: 2 });
    expect(discord.gateway.identifies).toHaveLength(1);
    const i = discord.invokeCommand({ name: 'ping' });
    expect((await i.reply()).content).toBe('pong');
  });

  it('closes with 4004 when IDENTIFY carries a wrong token', async () => {
    const socket = new WebSocket(`${discord.gatewayUrl}/?v=10&encoding=json`);
    const [hello] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(hello.toString())).toEqual({ op: 10, d: { heartbeat_interval: 1000 }, s: null, t: null });
    socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('sends MESSAGE_CREATE / MESSAGE_UPDATE for the bot\'s messages when it asked for GUILD_MESSAGES', async () => {
    const other = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'Campus', channels: [{ id: CHANNEL, name: 'general' }] }] });
    const withMessages = await loginTestClient(other, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    try {
      const created = once(withMessages.client, Events.MessageCreate) as Promise<[Message]>;
      const sent = await (withMessages.client.channels.cache.get(CHANNEL) as TextChannel).send('hello');
      const [event] = await created;
      expect(event.id).toBe(sent.id);
      const updated = once(withMessages.client, Events.MessageUpdate) as Promise<[Message, Message]>;
      await sent.edit('hello again');
      expect((await updated)[1].content).toBe('hello again');
      expect(other.gateway.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    } finally {
      await withMessages.destroy();
      await other.close();
    }
  });

  it('closes with 4014 for privileged intents the app is not approved for', async () => {
    const strict = await startFakeDiscord({ privilegedIntents: 0 });
    try {
      const socket = new WebSocket(strict.gatewayUrl);
      await once(socket, 'message');
      socket.send(JSON.stringify({ op: 2, d: { token: strict.token, intents: GatewayIntentBits.GuildMembers, properties: {} } }));
      const [code] = (await once(socket, 'close')) as [number];
      expect(code).toBe(4014);
      expect(strict.gateway.identifies).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });
});
