import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordChannelAccess } from '../../../src/discord/discord-channel-access';
import type { ChannelAccess } from '../../../src/core/ports/channel-access';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord, type FakeMember } from '../../fakes/discord';
import { loginTestClient, type TestClient } from '../../fakes/discord/test-client';

/**
 * The bot's ChannelAccess (discord.js gateway cache + its own computation) against the fake
 * Discord's independent computation of Discord's documented rules, for every member in every
 * channel of a server with role, member and @everyone overwrites, a thread and a private thread.
 */

const G = '1220000000000000001';
const [GENERAL, STAFF, STAGE, LOCKED, THREAD, PRIVATE_THREAD] = ['1320000000000000001', '1320000000000000002', '1320000000000000003', '1320000000000000004', '1320000000000000005', '1320000000000000006'];
const [STAFF_ROLE, MUTED_ROLE, EVENTS_ROLE, ADMIN_ROLE] = ['1420000000000000001', '1420000000000000002', '1420000000000000003', '1420000000000000004'];
const OWNER = '1520000000000000009';
const OPEN_THREAD = '1320000000000000007';
const { VIEW_CHANNEL: VIEW, SEND_MESSAGES: SEND, MANAGE_EVENTS, MANAGE_GUILD, MANAGE_THREADS, ADMINISTRATOR } = PERMISSIONS;

const people: FakeMember[] = [
  { id: '1520000000000000001', username: 'plain', roles: [] },
  { id: '1520000000000000002', username: 'staff', roles: [STAFF_ROLE] },
  { id: '1520000000000000003', username: 'staff-muted', roles: [STAFF_ROLE, MUTED_ROLE] },
  { id: '1520000000000000004', username: 'planner', roles: [EVENTS_ROLE] },
  { id: '1520000000000000005', username: 'admin', roles: [ADMIN_ROLE] },
  { id: '1520000000000000006', username: 'invited', roles: [MUTED_ROLE] },
  { id: OWNER, username: 'owner', roles: [] },
];
const CHECKED = VIEW | SEND | MANAGE_EVENTS | MANAGE_GUILD | MANAGE_THREADS | ADMINISTRATOR;

describe('createDiscordChannelAccess agrees with Discord’s documented computation', () => {
  let discord: FakeDiscord;
  let bot: TestClient;
  let access: ChannelAccess;

  beforeAll(async () => {
    discord = await startFakeDiscord({
      guilds: [
        {
          id: G,
          name: 'Campus',
          ownerId: OWNER,
          members: people,
          roles: [
            { id: G, name: '@everyone', permissions: VIEW | SEND },
            { id: STAFF_ROLE, name: 'Staff', permissions: MANAGE_THREADS },
            { id: MUTED_ROLE, name: 'Muted', permissions: 0n },
            { id: EVENTS_ROLE, name: 'Planners', permissions: 0n },
            { id: ADMIN_ROLE, name: 'Admins', permissions: ADMINISTRATOR },
          ],
          channels: [
            { id: GENERAL, name: 'general', permissionOverwrites: [{ id: MUTED_ROLE, type: 0, deny: SEND }] },
            {
              id: STAFF,
              name: 'staff',
              permissionOverwrites: [
                { id: G, type: 0, deny: VIEW },
                { id: STAFF_ROLE, type: 0, allow: VIEW | MANAGE_EVENTS },
                // Role overwrites are summed: Muted's deny and Staff's allow of the same bit → allowed.
                { id: MUTED_ROLE, type: 0, deny: VIEW },
                { id: people[5]!.id, type: 1, allow: VIEW },
              ],
            },
            { id: STAGE, name: 'stage', type: ChannelType.GuildText, permissionOverwrites: [{ id: EVENTS_ROLE, type: 0, allow: MANAGE_EVENTS }] },
            // A member overwrite beats a role allow.
            { id: LOCKED, name: 'locked', permissionOverwrites: [{ id: STAFF_ROLE, type: 0, allow: VIEW }, { id: people[1]!.id, type: 1, deny: VIEW }] },
            { id: THREAD, name: 'thread', type: ChannelType.PublicThread, parentId: STAFF },
            { id: PRIVATE_THREAD, name: 'secret', type: ChannelType.PrivateThread, parentId: GENERAL },
            { id: OPEN_THREAD, name: 'chat', type: ChannelType.PublicThread, parentId: GENERAL },
          ],
        },
      ],
    });
    bot = await loginTestClient(discord);
    await discord.waitForIdentify();
    access = createDiscordChannelAccess(() => bot.client);
  });

  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('for every member in every channel', () => {
    for (const channel of [GENERAL, STAFF, STAGE, LOCKED, THREAD, PRIVATE_THREAD]) {
      for (const p of people) {
        const expected = discord.permissionsIn(channel, p) & CHECKED;
        const actual = access.permissionsIn(G, channel, { id: p.id, roleIds: p.roles ?? [] });
        expect(actual === undefined ? undefined : actual & CHECKED, `${p.username} in ${channel}`).toBe(expected);
      }
    }
  });

  it('spot checks: private channel, summed role overwrites, member overwrite, thread, owner', () => {
    const view = (channel: string, who: FakeMember) => ((access.permissionsIn(G, channel, { id: who.id, roleIds: who.roles ?? [] }) ?? 0n) & VIEW) !== 0n;
    expect(view(STAFF, people[0]!)).toBe(false);
    expect(view(STAFF, people[2]!)).toBe(true);
    expect(view(STAFF, people[5]!)).toBe(true);
    expect(view(LOCKED, people[1]!)).toBe(false);
    expect(view(THREAD, people[0]!)).toBe(false);
    expect(view(PRIVATE_THREAD, people[0]!)).toBe(false);
    expect(view(PRIVATE_THREAD, people[1]!)).toBe(true); // Manage Threads
    expect(view(STAFF, people[6]!)).toBe(true);
    expect(access.permissionsIn(G, STAGE, { id: people[3]!.id, roleIds: [EVENTS_ROLE] })! & MANAGE_EVENTS).toBe(MANAGE_EVENTS);
    expect(access.permissionsIn(G, GENERAL, { id: people[3]!.id, roleIds: [EVENTS_ROLE] })! & MANAGE_EVENTS).toBe(0n);
  });

  it('answers undefined for a channel or server it does not know', () => {
    expect(access.permissionsIn(G, '1320000000000000999', { id: people[0]!.id, roleIds: [] })).toBeUndefined();
    expect(access.permissionsIn('1220000000000000999', GENERAL, { id: people[0]!.id, roleIds: [] })).toBeUndefined();
  });

  it('load fetches a thread that left the cache (discord.js sweeps archived threads; a new session lists active ones only)', async () => {
    const who = { id: people[1]!.id, roleIds: people[1]!.roles ?? [] };
    const before = access.permissionsIn(G, OPEN_THREAD, who);
    expect(before! & VIEW).toBe(VIEW);
    const thread = bot.client.channels.cache.get(OPEN_THREAD)!;
    expect(thread.isThread()).toBe(true);
    // What discord.js's archived-thread sweeper does.
    bot.client.channels.cache.delete(OPEN_THREAD);
    bot.client.guilds.cache.get(G)!.channels.cache.delete(OPEN_THREAD);
    if (thread.isThread()) thread.parent?.threads.cache.delete(OPEN_THREAD);
    expect(access.permissionsIn(G, OPEN_THREAD, who)).toBeUndefined();
    await access.load!(G, OPEN_THREAD);
    expect(access.permissionsIn(G, OPEN_THREAD, who)).toBe(before);
    // A channel that does not exist stays unknown, and load still resolves.
    await access.load!(G, '1320000000000000998');
    expect(access.permissionsIn(G, '1320000000000000998', who)).toBeUndefined();
  });
});
