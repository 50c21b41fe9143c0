import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, type FakeMember } from '../fakes/discord/index';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { IDS, MANAGE_EVENTS, linkButtonUrl, members, startHarness, type Harness } from './meeting-harness';

const STAFF = '1300000000000000051';
const STAFF_THREAD = '1300000000000000052';
const STAGE = '1300000000000000053';
/** A student let into #staff by a member overwrite. */
const invited: FakeMember = { id: '1500000000000000031', username: 'ines', roles: [IDS.studentsRole] };
const BOT_IN_STAFF = PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY | PERMISSIONS.SEND_MESSAGES_IN_THREADS;

/** #staff is private: hidden from @everyone, open to Teachers (role overwrite), Ines (member overwrite) and the bot. */
const STAFF_OVERWRITES = [
  { id: IDS.guild, type: 0 as const, deny: PERMISSIONS.VIEW_CHANNEL },
  { id: IDS.teachersRole, type: 0 as const, allow: PERMISSIONS.VIEW_CHANNEL },
  { id: invited.id, type: 1 as const, allow: PERMISSIONS.VIEW_CHANNEL },
  { id: IDS.app, type: 1 as const, allow: BOT_IN_STAFF },
];
const channels = [
  { id: STAFF, name: 'staff', permissionOverwrites: STAFF_OVERWRITES },
  { id: STAFF_THREAD, name: 'budget-thread', type: 11, parentId: STAFF },
  // A stage where the student was given Manage Events by a member overwrite.
  { id: STAGE, name: 'stage', permissionOverwrites: [{ id: IDS.student, type: 1 as const, allow: MANAGE_EVENTS }] },
];

const NOT_FOUND = 'I cannot find that meeting in this server.';

/**
 * A meeting belongs to its channel: members who cannot view the channel cannot see or join it, and
 * get the answer they would get for a meeting that does not exist; roles come from the meeting's channel.
 */
describe('meeting visibility and roles by the meeting’s channel', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const ask = (harness: Harness, member: FakeMember, subcommand: 'list' | 'join' | 'end', meeting?: string, channelId: string = IDS.channel) =>
    harness.discord.invokeCommand({ guildId: IDS.guild, channelId, member, name: 'kaltura', subcommand, options: meeting ? { meeting } : {} }).reply();
  const suggest = async (harness: Harness, member: FakeMember, typed: string) => {
    const ac = harness.discord.autocomplete({ guildId: IDS.guild, channelId: IDS.channel, member, name: 'kaltura', subcommand: 'join', focused: 'meeting', value: typed });
    return ((await ac.acknowledged).data as { choices: { name: string; value: string }[] }).choices;
  };
  const startIn = async (harness: Harness, channelId: string, title: string) => {
    const reply = await harness.discord
      .invokeCommand({ guildId: IDS.guild, channelId, member: members.host, name: 'kaltura', subcommand: 'start', options: { title }, appPermissions: BOT_IN_STAFF })
      .reply();
    expect(reply.content).toMatch(/is live and its card is posted/);
    const card = harness.discord.channelMessages(channelId).at(-1)!;
    const join = (card.components as { components: { custom_id?: string; label: string }[] }[])[0]!.components.find((b) => b.label === 'Join')!;
    return { card, joinId: join.custom_id!, meetingId: join.custom_id!.split(':')[2]! };
  };
  /** Opens a join link (302 → KAF) and returns what the fake KAF saw. */
  const open = async (harness: Harness, link: string) => {
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect((await fetch(res.headers.get('location')!)).status).toBe(200);
    return harness.kaltura.launches.at(-1)!;
  };

  it('a #staff meeting is invisible and unjoinable to outsiders (list, autocomplete, join, button, link) and works for those who see #staff', async () => {
    h = await startHarness(tempDir(), { extraChannels: channels });
    const { meetingId, card, joinId } = await startIn(h, STAFF, 'Staff budget');

    // The student (no access to #staff): nothing listed, nothing suggested, and "not found" like an unknown id.
    expect((await ask(h, members.student, 'list')).content).toMatch(/No session is live/);
    expect(await suggest(h, members.student, '')).toEqual([]);
    const byId = await ask(h, members.student, 'join', meetingId);
    const unknown = await ask(h, members.student, 'join', 'm_aaaaaaaaaaaaaaaa');
    expect(byId.content).toBe(NOT_FOUND);
    expect(byId).toMatchObject({ content: unknown.content, components: unknown.components });
    expect((await ask(h, members.student, 'end', meetingId)).content).toBe(NOT_FOUND);
    // They cannot even reach the card's Join: Discord does not show them #staff.
    expect(() => h!.discord.clickButton({ guildId: IDS.guild, member: members.student, messageId: card.id, customId: joinId })).toThrow(/cannot view channel/);

    // The teacher sees #staff through the Teachers role overwrite: listed, suggested, joins as moderator (mapped role).
    const teacherList = await ask(h, members.teacher, 'list');
    expect(teacherList.content).toMatch(/One session is live/);
    expect(teacherList.content).toContain('Staff budget');
    expect((await suggest(h, members.teacher, 'budget')).map((c) => c.value)).toEqual([meetingId]);
    expect(await open(h, linkButtonUrl(await ask(h, members.teacher, 'join', meetingId)))).toMatchObject({ userId: `discord_${IDS.teacher}`, role: 'adminRole' });
    // Ines sees it through her member overwrite and joins as an attendee.
    expect((await ask(h, invited, 'list')).content).toContain('Staff budget');
    expect(await open(h, linkButtonUrl(await ask(h, invited, 'join', meetingId)))).toMatchObject({ userId: `discord_${invited.id}`, role: 'viewerRole' });

    // A link issued while the teacher could see #staff stops working once an admin closes #staff to Teachers,
    // and so does the Join button of a list they asked for before.
    const issued = linkButtonUrl(await ask(h, members.teacher, 'join', meetingId));
    const earlierList = h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.teacher, name: 'kaltura', subcommand: 'list' });
    expect((await earlierList.reply()).content).toContain('Staff budget');
    h.discord.setChannelOverwrites(STAFF, STAFF_OVERWRITES.filter((o) => o.id !== IDS.teachersRole));
    // The bot learns it from CHANNEL_UPDATE (its gateway cache); a few list calls show when it has.
    for (let tries = 0; (await ask(h, members.teacher, 'list')).content.includes('Staff budget'); tries++) {
      if (tries > 50) throw new Error('the bot never saw #staff closed to Teachers');
      await new Promise((r) => setTimeout(r, 50));
    }
    const lateClick = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.teacher, fromReply: earlierList, customId: joinId }).reply();
    expect(lateClick.content).toBe(NOT_FOUND);
    const refused = await fetch(issued, { redirect: 'manual' });
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain('This meeting does not exist');
    expect(h.kaltura.launches.filter((l) => l.userId === `discord_${IDS.teacher}`)).toHaveLength(1);
  });

  it('a meeting in a thread of #staff follows #staff: hidden from the student, open to the teacher', async () => {
    h = await startHarness(tempDir(), { extraChannels: channels });
    const { meetingId } = await startIn(h, STAFF_THREAD, 'Thread sync');
    expect(await suggest(h, members.student, 'thread')).toEqual([]);
    expect((await ask(h, members.student, 'join', meetingId)).content).toBe(NOT_FOUND);
    expect((await suggest(h, members.teacher, 'thread')).map((c) => c.value)).toEqual([meetingId]);
    expect(linkButtonUrl(await ask(h, members.teacher, 'join', meetingId))).toMatch(/\/j\//);
  });

  it('Manage Events from an overwrite on another channel does not make a moderator of a meeting elsewhere', async () => {
    h = await startHarness(tempDir(), { extraChannels: channels });
    const { meetingId } = await startIn(h, IDS.channel, 'Open lecture');
    // In #stage the student's payload carries Manage Events (the fake computes it for the invoking channel, as Discord does).
    const there = h.discord.invokeCommand({ guildId: IDS.guild, channelId: STAGE, member: members.student, name: 'kaltura', subcommand: 'join', options: { meeting: meetingId } });
    expect(BigInt(there.payload.member!.permissions) & MANAGE_EVENTS).toBe(MANAGE_EVENTS);
    const reply = await there.reply();
    expect(reply.content).toContain('you join as attendee');
    expect(await open(h, linkButtonUrl(reply))).toMatchObject({ userId: `discord_${IDS.student}`, role: 'viewerRole', userContextualRole: '3' });
    // Nor may they end it from there.
    const end = await ask(h, members.student, 'end', meetingId, STAGE);
    expect(end.content).toMatch(/Only the host/);
    expect(h.discord.channelMessages(IDS.channel).at(-1)!.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value).toBe('🟢 Live');
  });

  it('a timed-out member keeps sight of a meeting but not the Manage Events their channel gives them', async () => {
    h = await startHarness(tempDir(), { extraChannels: channels });
    const { meetingId } = await startIn(h, STAGE, 'Stage rehearsal');
    // Asked from #general, the bot computes the student's rights in #stage itself: Manage Events, a moderator.
    expect((await ask(h, members.student, 'join', meetingId)).content).toContain('you join as moderator');
    // Timed out (Discord: only View Channel and Read Message History are left), the same member is an attendee
    // from either channel and may not end the meeting.
    const timedOut: FakeMember = { ...members.student, timedOutUntil: new Date(Date.now() + 3_600_000).toISOString() };
    for (const channelId of [IDS.channel, STAGE]) {
      expect((await ask(h, timedOut, 'join', meetingId, channelId)).content).toContain('you join as attendee');
      expect((await ask(h, timedOut, 'end', meetingId, channelId)).content).toMatch(/Only the host/);
    }
    expect((await ask(h, timedOut, 'list')).content).toContain('Stage rehearsal');
  });

  it('a member of a private thread joins its meeting from the card there (the bot is not told who is in the thread)', async () => {
    const PRIVATE_THREAD = '1300000000000000054';
    // Private thread under #general; the student is in it, the teacher is not (and neither may manage threads).
    const secret = { id: PRIVATE_THREAD, name: 'project-group', type: 12, parentId: IDS.channel, memberIds: [IDS.app, IDS.host, IDS.student] };
    h = await startHarness(tempDir(), { extraChannels: [...channels, secret] });
    const { card, joinId } = await startIn(h, PRIVATE_THREAD, 'Group work');
    const click = await h.discord.clickButton({ guildId: IDS.guild, channelId: PRIVATE_THREAD, member: members.student, messageId: card.id, customId: joinId }).reply();
    expect(click.content).toContain('you join as attendee');
    expect(await open(h, linkButtonUrl(click))).toMatchObject({ userId: `discord_${IDS.student}`, role: 'viewerRole' });
    // Still hidden from those outside the thread.
    expect((await ask(h, members.teacher, 'list')).content).not.toContain('Group work');
  });

  it('a #staff meeting is announced only in #staff, even when the server routes announcements to a public channel', async () => {
    const routed = `  notifications:\n    sessionStarted:\n      enabled: true\n      channelId: "${IDS.announcements}"\n`;
    h = await startHarness(tempDir(), { extraChannels: channels, extraYaml: routed });
    const harness = h;
    const announced = (channelId: string, title: string) => harness.discord.channelMessages(channelId).find((m) => m.content.includes(`**${title}**`) && m.content.includes('started'));
    // a meeting in a public channel follows the routing
    const start = async (channelId: string, title: string) =>
      expect((await harness.discord.invokeCommand({ guildId: IDS.guild, channelId, member: members.host, name: 'kaltura', subcommand: 'start', options: { title }, appPermissions: BOT_IN_STAFF }).reply()).content).toMatch(/is live/);
    await start(IDS.channel, 'Open lecture');
    await until('the routed announcement', () => announced(IDS.announcements, 'Open lecture'));
    // a #staff meeting does not: its title and host would reach members who cannot see #staff
    await start(STAFF, 'Staff budget');
    await until('the announcement in #staff', () => announced(STAFF, 'Staff budget'));
    expect(announced(IDS.announcements, 'Staff budget')).toBeUndefined();
  });
});
