import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../fakes/discord/index';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, members, startHarness, type Harness } from './meeting-harness';

const NO_EMBEDS = '1300000000000000031';
const THREAD = '1300000000000000032';
const SEND_MESSAGES_IN_THREADS = 1n << 38n;
const channels = [
  // An admin took Embed Links away from everyone (the bot included) in this channel.
  { id: NO_EMBEDS, name: 'plain-text', permissionOverwrites: [{ id: IDS.guild, type: 0 as const, deny: PERMISSIONS.EMBED_LINKS }] },
  { id: THREAD, name: 'office-hours', type: 11, parentId: IDS.channel },
];

/**
 * `/kaltura start` reads the bot's own permissions in the channel (`app_permissions`) and refuses
 * with what is missing before Kaltura is called; one member may host a limited number of live meetings.
 */
describe('check before acting: /kaltura start', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = (harness: Harness, channelId: string, title: string, appPermissions?: bigint) =>
    harness.discord.invokeCommand({ guildId: IDS.guild, channelId, member: members.host, name: 'kaltura', subcommand: 'start', options: { title }, ...(appPermissions !== undefined ? { appPermissions } : {}) });
  /** Calls that create something in Kaltura (the reconciler reads in the background; those do not count). */
  const kalturaCalls = (harness: Harness) => harness.kaltura.requests.filter((r) => r.action === 'add').length;

  it('refuses in a channel where the bot lacks Embed Links, saying so, and creates nothing in Kaltura or Discord', async () => {
    h = await startHarness(tempDir(), { extraChannels: channels });
    const before = kalturaCalls(h);
    const refused = await start(h, NO_EMBEDS, 'Physics').reply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain("I can't post the meeting card in this channel: I'm missing the **Embed Links** permission here. Nothing was created.");
    expect(kalturaCalls(h)).toBe(before);
    expect(h.kaltura.store.events.size).toBe(0);
    expect(h.discord.channelMessages(NO_EMBEDS)).toEqual([]);

    // The same member in a channel where the bot may post: it works.
    const ok = await start(h, IDS.channel, 'Physics').reply();
    expect(ok.content).toMatch(/is live and its card is posted/);
    expect(h.kaltura.store.events.size).toBe(1);
  });

  it('in a thread it needs Send Messages in Threads (Send Messages does not cover threads)', async () => {
    h = await startHarness(tempDir(), { extraChannels: channels });
    const refused = await start(h, THREAD, 'Office hours').reply();
    expect(refused.content).toContain("I can't post the meeting card in this thread: I'm missing the **Send Messages in Threads** permission here.");
    expect(h.kaltura.store.events.size).toBe(0);

    const granted = await start(h, THREAD, 'Office hours', PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY | SEND_MESSAGES_IN_THREADS).reply();
    expect(granted.content).toMatch(/is live and its card is posted/);
    expect(h.discord.channelMessages(THREAD)).toHaveLength(1);
  });

  it('one member may host three live meetings by default; the fourth is refused before Kaltura; a server may lift or lower the limit', async () => {
    h = await startHarness(tempDir());
    for (const title of ['A', 'B', 'C']) expect((await start(h, IDS.channel, title).reply()).content).toMatch(/is live/);
    const before = kalturaCalls(h);
    const refused = await start(h, IDS.channel, 'D').reply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe('You are already hosting 3 live meetings in this server, the most one member may host at once here (3). End one with `/kaltura end` or its End button, then start again.');
    expect(kalturaCalls(h)).toBe(before);
    expect(h.kaltura.store.events.size).toBe(3);

    // Another member is not affected.
    const teacher = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: { ...members.teacher, permissions: members.host.permissions }, name: 'kaltura', subcommand: 'start', options: { title: 'T' } }).reply();
    expect(teacher.content).toMatch(/is live/);

    // A server admin turns the limit off for this server (0), then sets it to 1.
    const admin = { id: '1500000000000000010', username: 'ada', roles: [], permissions: 1n << 5n };
    const setLimit = (value: string) =>
      h!.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: admin, name: 'kaltura-admin', group: 'settings', subcommand: 'set', options: { key: 'meetings.maxLivePerMember', value } }).reply();
    expect((await setLimit('0')).content).toContain('`meetings.maxLivePerMember` is now 0 on this server');
    expect((await start(h, IDS.channel, 'D').reply()).content).toMatch(/is live/);
    expect((await setLimit('1')).content).toContain('`meetings.maxLivePerMember` is now 1 on this server');
    const teacher2 = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: { ...members.teacher, permissions: members.host.permissions }, name: 'kaltura', subcommand: 'start', options: { title: 'T2' } }).reply();
    expect(teacher2.content).toContain('You are already hosting a live meeting in this server, the most one member may host at once here (1).');

    // Two starts at once by a member hosting nothing: the first one counts while Kaltura is still creating it.
    const quick = { id: '1500000000000000012', username: 'quick', roles: [], permissions: members.host.permissions };
    const both = await Promise.all(['Q1', 'Q2'].map((title) => h!.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: quick, name: 'kaltura', subcommand: 'start', options: { title } }).reply()));
    expect(both.filter((r) => /is live/.test(r.content)).length).toBe(1);
    expect(both.filter((r) => r.content.startsWith('You are already hosting a live meeting')).length).toBe(1);
  });
});
