import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, type FakeMember } from '../fakes/discord/index';
import { useTempDirs } from '../helpers/temp-dir';
import { buttonsOf, IDS, members, startHarness, until, type Harness } from './meeting-harness';

const STAFF = '1300000000000000051';
const BOT_IN_STAFF = PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY;
/** #staff is private: hidden from @everyone, open to Teachers and the bot. */
const staff = {
  id: STAFF,
  name: 'staff',
  permissionOverwrites: [
    { id: IDS.guild, type: 0 as const, deny: PERMISSIONS.VIEW_CHANNEL },
    { id: IDS.teachersRole, type: 0 as const, allow: PERMISSIONS.VIEW_CHANNEL },
    { id: IDS.app, type: 1 as const, allow: BOT_IN_STAFF },
  ],
};

/**
 * A meeting's recording belongs to the meeting's channel: members who cannot see that channel never
 * find it, and a member who can may not put it on a public card in a channel others see.
 */
describe('the recording of a private meeting in the video library', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is not found by outsiders, cannot be shared into #lectures, and can be shared in #staff', async () => {
    h = await startHarness(tempDir(), { media: true, extraChannels: [staff] });
    const { discord, kaltura } = h;
    const before = new Set(kaltura.store.resources.keys());
    const started = await discord.invokeCommand({ guildId: IDS.guild, channelId: STAFF, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Staff budget', record: true }, appPermissions: BOT_IN_STAFF }).reply();
    expect(started.content).toMatch(/is live/);
    const card = discord.channelMessages(STAFF).at(-1)!;
    const resourceId = [...kaltura.store.resources.keys()].find((k) => !before.has(k))!;
    await discord.clickButton({ guildId: IDS.guild, channelId: STAFF, member: members.host, messageId: card.id, customId: buttonsOf(card).find((b) => b.label === 'End')!.custom_id! }).reply();
    const recording = kaltura.addRecording(resourceId, { name: 'Staff budget (recording)' });
    await kaltura.emitWebhook(`${h.publicUrl}/webhooks/kaltura`, { entry: recording, eventType: 3, jobId: 779001 }, { algo: 'sha256' });
    await until('the recording-ready reply', () => discord.channelMessages(STAFF).find((m) => m.message_reference?.message_id === card.id));

    const search = (member: FakeMember, channelId: string) =>
      discord.invokeCommand({ guildId: IDS.guild, channelId, member, name: 'kaltura', subcommand: 'search', options: { query: 'budget' } }).reply();
    const share = (member: FakeMember, channelId: string) =>
      discord.invokeCommand({ guildId: IDS.guild, channelId, member, name: 'kaltura', subcommand: 'share', options: { entry: recording.id }, ...(channelId === STAFF && { appPermissions: BOT_IN_STAFF }) }).reply();

    // The student cannot see #staff: not listed, not counted, not shareable (as if it did not exist).
    expect((await search(members.student, IDS.channel)).content).toMatch(/^No video in this server’s library matches/);
    expect((await share(members.student, IDS.channel)).content).toBe('No such video in this server’s library.');

    // The teacher sees it, but a public card in #lectures would show it to members who cannot see #staff.
    expect((await search(members.teacher, IDS.channel)).embeds).toHaveLength(1);
    const lectures = discord.channelMessages(IDS.channel).length;
    const elsewhere = await share(members.teacher, IDS.channel);
    expect(elsewhere.ephemeral).toBe(true);
    expect(elsewhere.content).toMatch(/belongs to a channel not everyone here can see/);
    expect(discord.channelMessages(IDS.channel)).toHaveLength(lectures);

    // In #staff itself it is shared.
    const inStaff = await share(members.teacher, STAFF);
    expect(inStaff.content).toMatch(/^Shared \*\*/);
    expect(buttonsOf(discord.channelMessages(STAFF).at(-1)!).map((b) => b.label)).toEqual(['Watch', 'Watch together']);
  });
});
