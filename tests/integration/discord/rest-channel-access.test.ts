import { ChannelType, REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestChannelAccess } from '../../../src/discord/rest-channel-access';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord, type FakeMember } from '../../fakes/discord';
import { until } from '../../helpers/until';

/**
 * HTTP mode's ChannelAccess (REST reads + a short cache, no gateway) against the fake Discord's
 * independent computation of Discord's documented rules: every member in every channel of a server
 * with role, member and @everyone overwrites, a thread (read on demand: guild channel lists omit
 * threads) and a private thread; then freshness: a changed overwrite is seen once the cache expires,
 * data too old is not used.
 */

const G = '1230000000000000001';
const [GENERAL, STAFF, LOCKED, THREAD, PRIVATE_THREAD] = ['1330000000000000001', '1330000000000000002', '1330000000000000004', '1330000000000000005', '1330000000000000006'];
const [STAFF_ROLE, MUTED_ROLE, ADMIN_ROLE] = ['1430000000000000001', '1430000000000000002', '1430000000000000004'];
const OWNER = '1530000000000000009';
const BOT = '1100000000000000001'; // the fake's default application (and bot user) id
const { VIEW_CHANNEL: VIEW, SEND_MESSAGES: SEND, MANAGE_EVENTS, MANAGE_THREADS, ADMINISTRATOR } = PERMISSIONS;
const CHECKED = VIEW | SEND | MANAGE_EVENTS | MANAGE_THREADS | ADMINISTRATOR;

const people: FakeMember[] = [
  { id: '1530000000000000001', username: 'plain', roles: [] },
  { id: '1530000000000000002', username: 'staff', roles: [STAFF_ROLE] },
  { id: '1530000000000000003', username: 'staff-muted', roles: [STAFF_ROLE, MUTED_ROLE] },
  { id: '1530000000000000005', username: 'admin', roles: [ADMIN_ROLE] },
  { id: '1530000000000000006', username: 'invited', roles: [MUTED_ROLE] },
  { id: OWNER, username: 'owner', roles: [] },
];
const member = (p: FakeMember) => ({ id: p.id, roleIds: p.roles ?? [] });

describe('createRestChannelAccess agrees with Discord’s documented computation', () => {
  let discord: FakeDiscord;
  let rest: REST;
  let clock = 1_000_000;
  const now = () => clock;

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
                { id: MUTED_ROLE, type: 0, deny: VIEW },
                { id: people[4]!.id, type: 1, allow: VIEW },
                { id: BOT, type: 1, allow: VIEW }, // a thread is read with GET /channels/{id}: the bot must see its parent
              ],
            },
            { id: LOCKED, name: 'locked', permissionOverwrites: [{ id: STAFF_ROLE, type: 0, allow: VIEW }, { id: people[1]!.id, type: 1, deny: VIEW }] },
            { id: THREAD, name: 'thread', type: ChannelType.PublicThread, parentId: STAFF },
            { id: PRIVATE_THREAD, name: 'secret', type: ChannelType.PrivateThread, parentId: GENERAL, memberIds: [BOT] },
          ],
        },
      ],
    });
    rest = new REST({ api: discord.apiBaseUrl }).setToken(discord.token);
  });

  afterAll(async () => {
    await discord?.close();
  });

  it('knows nothing before it reads, then agrees for every member in every channel (threads as their parent)', async () => {
    const access = createRestChannelAccess(rest, { now });
    await access.load!(G, GENERAL);
    for (const channel of [GENERAL, STAFF, LOCKED, THREAD, PRIVATE_THREAD]) {
      await access.load!(G, channel);
      for (const p of people) {
        const expected = discord.permissionsIn(channel, p) & CHECKED;
        const actual = access.permissionsIn(G, channel, member(p));
        expect(actual === undefined ? undefined : actual & CHECKED, `${p.username} in ${channel}`).toBe(expected);
      }
    }
    // A private thread: those who may manage threads, or a member the core vouches for.
    expect(access.permissionsIn(G, PRIVATE_THREAD, member(people[0]!))).toBe(0n);
    expect(access.permissionsIn(G, PRIVATE_THREAD, { ...member(people[0]!), threadMember: true })! & VIEW).toBe(VIEW);
  });

  it('answers undefined for a server or channel it cannot read, and load resolves anyway without asking again at once', async () => {
    const access = createRestChannelAccess(rest, { now });
    const unknownGuild = '1230000000000000999';
    expect(access.permissionsIn(unknownGuild, GENERAL, member(people[0]!))).toBeUndefined();
    await access.load!(unknownGuild, GENERAL);
    expect(access.permissionsIn(unknownGuild, GENERAL, member(people[0]!))).toBeUndefined();
    const asked = discord.requests.filter((r) => r.path === `/guilds/${unknownGuild}`).length;
    await access.load!(unknownGuild, GENERAL);
    expect(discord.requests.filter((r) => r.path === `/guilds/${unknownGuild}`).length).toBe(asked);
    await access.load!(G, '1330000000000000998');
    expect(access.permissionsIn(G, '1330000000000000998', member(people[0]!))).toBeUndefined();
  });

  it('sees a changed overwrite once its copy expires, and does not use a copy that is too old', async () => {
    const access = createRestChannelAccess(rest, { now, ttlMs: 30_000, maxStaleMs: 600_000 });
    await access.load!(G, GENERAL);
    const plain = member(people[0]!);
    expect(access.permissionsIn(G, GENERAL, plain)! & VIEW).toBe(VIEW);
    discord.setChannelOverwrites(GENERAL, [{ id: G, type: 0, deny: VIEW }]);
    await access.load!(G, GENERAL); // still fresh: not read again
    expect(access.permissionsIn(G, GENERAL, plain)! & VIEW).toBe(VIEW);
    clock += 31_000;
    await access.load!(G, GENERAL);
    expect(access.permissionsIn(G, GENERAL, plain)).toBe(0n);
    clock += 601_000;
    discord.setChannelOverwrites(GENERAL, []);
    expect(access.permissionsIn(G, GENERAL, plain)).toBeUndefined(); // too old: fail closed, and a read starts in the background
    expect(await until('the background refresh', () => access.permissionsIn(G, GENERAL, plain))).toBe(VIEW | SEND);
  });
});
