import { once } from 'node:events';
import { ChannelType, Events, PermissionFlagsBits, type Interaction, type ThreadChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../fakes/discord';
import { loginTestClient, type TestClient } from '../fakes/discord/test-client';

/**
 * The fake computes permissions as Discord documents it (topics/permissions, topics/threads) and
 * sends the overwrites in GUILD_CREATE; discord.js' own `permissionsFor` over its gateway cache is
 * the independent check that both agree.
 */

const GUILD = '1210000000000000001';
const OPEN = '1310000000000000001';
const STAFF = '1310000000000000002';
const THREAD = '1310000000000000003';
const PRIVATE_THREAD = '1310000000000000004';
const STAFF_ROLE = '1410000000000000001';
const EVENTS_ROLE = '1410000000000000002';
/** The bot's id: the application id (the fake's default), known before the fake starts. */
const discordBotId = '1100000000000000001';
const BASE = PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY;

const staffer = { id: '1510000000000000001', username: 'stella', roles: [STAFF_ROLE] };
const guest = { id: '1510000000000000002', username: 'gus', roles: [] as string[] };
const invited = { id: '1510000000000000003', username: 'ivy', roles: [] as string[] };
const planner = { id: '1510000000000000004', username: 'pia', roles: [EVENTS_ROLE] };

describe('fake Discord: channel permission overwrites', () => {
  let discord: FakeDiscord;
  let bot: TestClient;
  const seen: Interaction[] = [];

  beforeAll(async () => {
    discord = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: 'Campus',
          roles: [
            { id: GUILD, name: '@everyone', permissions: BASE },
            { id: STAFF_ROLE, name: 'Staff', permissions: 0n },
            { id: EVENTS_ROLE, name: 'Planners', permissions: 0n },
          ],
          members: [staffer, guest, invited, planner],
          channels: [
            {
              id: OPEN,
              name: 'general',
              permissionOverwrites: [{ id: EVENTS_ROLE, type: 0, allow: PERMISSIONS.MANAGE_EVENTS }],
            },
            {
              id: STAFF,
              name: 'staff',
              permissionOverwrites: [
                { id: GUILD, type: 0, deny: PERMISSIONS.VIEW_CHANNEL },
                { id: STAFF_ROLE, type: 0, allow: PERMISSIONS.VIEW_CHANNEL },
                { id: invited.id, type: 1, allow: PERMISSIONS.VIEW_CHANNEL, deny: PERMISSIONS.SEND_MESSAGES },
                { id: discordBotId, type: 1, allow: PERMISSIONS.VIEW_CHANNEL },
              ],
            },
            { id: THREAD, name: 'planning', type: ChannelType.PublicThread, parentId: STAFF },
            { id: PRIVATE_THREAD, name: 'secret', type: ChannelType.PrivateThread, parentId: OPEN, memberIds: [guest.id] },
          ],
        },
      ],
    });
    bot = await loginTestClient(discord);
    bot.client.on(Events.InteractionCreate, (i) => void seen.push(i));
    await discord.waitForIdentify();
  });

  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('sends overwrites in GUILD_CREATE and threads in their own list, which discord.js caches', () => {
    const staff = bot.client.channels.cache.get(STAFF);
    expect(staff && 'permissionOverwrites' in staff ? staff.permissionOverwrites.cache.size : 0).toBe(4);
    const thread = bot.client.channels.cache.get(THREAD) as ThreadChannel | undefined;
    expect(thread?.isThread()).toBe(true);
    expect(thread?.parentId).toBe(STAFF);
  });

  it('computes a private channel: denied to @everyone, allowed by role and by member overwrite', () => {
    expect(discord.permissionsIn(STAFF, guest) & PERMISSIONS.VIEW_CHANNEL).toBe(0n);
    expect(discord.permissionsIn(STAFF, staffer) & PERMISSIONS.VIEW_CHANNEL).toBe(PERMISSIONS.VIEW_CHANNEL);
    const ivy = discord.permissionsIn(STAFF, invited);
    expect(ivy & PERMISSIONS.VIEW_CHANNEL).toBe(PERMISSIONS.VIEW_CHANNEL);
    // Implicit: no SEND_MESSAGES takes EMBED_LINKS with it.
    expect(ivy & (PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS)).toBe(0n);
    // A thread inherits its parent's overwrites; a private thread needs membership.
    expect(discord.permissionsIn(THREAD, guest)).toBe(0n);
    expect(discord.permissionsIn(THREAD, staffer) & PERMISSIONS.VIEW_CHANNEL).toBe(PERMISSIONS.VIEW_CHANNEL);
    expect(discord.permissionsIn(PRIVATE_THREAD, guest) & PERMISSIONS.VIEW_CHANNEL).toBe(PERMISSIONS.VIEW_CHANNEL);
    expect(discord.permissionsIn(PRIVATE_THREAD, staffer)).toBe(0n);
  });

  it('agrees with discord.js permissionsFor over its own cache', async () => {
    const guild = bot.client.guilds.cache.get(GUILD)!;
    for (const who of [staffer, guest, invited, planner]) {
      const member = await guild.members.fetch(who.id).catch(() => undefined);
      if (!member) continue;
      for (const channelId of [OPEN, STAFF]) {
        const channel = guild.channels.cache.get(channelId)!;
        const expected = channel.permissionsFor(member)!.bitfield;
        // discord.js does not apply implicit denials; compare where the member can see the channel.
        if (expected & PermissionFlagsBits.ViewChannel && expected & PermissionFlagsBits.SendMessages) expect(discord.permissionsIn(channelId, who)).toBe(expected);
        else expect(discord.permissionsIn(channelId, who) & PERMISSIONS.VIEW_CHANNEL).toBe(expected & PermissionFlagsBits.ViewChannel);
      }
    }
  });

  it('sends member.permissions and app_permissions for the invoking channel', async () => {
    const here = once(bot.client, Events.InteractionCreate);
    discord.invokeCommand({ member: planner, channelId: OPEN, name: 'kaltura', subcommand: 'list' });
    await here;
    const inOpen = seen.at(-1)!;
    expect(inOpen.memberPermissions?.has(PermissionFlagsBits.ManageEvents)).toBe(true);

    const there = once(bot.client, Events.InteractionCreate);
    discord.invokeCommand({ member: staffer, channelId: THREAD, name: 'kaltura', subcommand: 'list' });
    await there;
    // In the thread, #staff's overwrites apply: the staffer sees it, without #general's Manage Events.
    expect(seen.at(-1)!.memberPermissions?.has(PermissionFlagsBits.ViewChannel)).toBe(true);
    expect(seen.at(-1)!.memberPermissions?.has(PermissionFlagsBits.ManageEvents)).toBe(false);
    // The bot sees #staff through its member overwrite, and so the thread.
    expect(BigInt(seen.at(-1)!.appPermissions!.bitfield) & PERMISSIONS.VIEW_CHANNEL).toBe(PERMISSIONS.VIEW_CHANNEL);
    // A member who cannot view a channel cannot act in it: Discord does not show it to them.
    expect(() => discord.invokeCommand({ member: planner, channelId: THREAD, name: 'kaltura', subcommand: 'list' })).toThrow(/cannot view channel/);
  });

  it('sends CHANNEL_UPDATE when overwrites change', async () => {
    const updated = once(bot.client, Events.ChannelUpdate);
    discord.setChannelOverwrites(OPEN, [{ id: GUILD, type: 0, deny: PERMISSIONS.VIEW_CHANNEL }]);
    await updated;
    const open = bot.client.channels.cache.get(OPEN);
    expect(open && 'permissionOverwrites' in open ? open.permissionOverwrites.cache.get(GUILD)?.deny.has(PermissionFlagsBits.ViewChannel) : false).toBe(true);
    expect(discord.permissionsIn(OPEN, guest)).toBe(0n);
  });
});
