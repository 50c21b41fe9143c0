import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../fakes/discord/index';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, buttonsOf, members, startHarness, until, type Harness } from './meeting-harness';

const PARENT = '1300000000000000051';
const THREAD = '1300000000000000052';
const EVERYONE_SEES = PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.READ_MESSAGE_HISTORY;
const BOT_IN_THREADS = PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY | PERMISSIONS.SEND_MESSAGES_IN_THREADS;

/**
 * A card in an archived thread cannot be edited (50083). The bot reopens the thread where it may
 * and edits the card; where it may not, it posts a short "ended" reply; where it can do neither
 * (locked), it stops trying instead of retrying for ever.
 */
describe('meeting cards in archived threads', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const statusOf = (harness: Harness, messageId: string) =>
    (harness.discord.message(messageId)!.embeds[0]!.fields ?? []).find((f) => f.name === 'Status')?.value;

  async function startInThread(harness: Harness, title: string) {
    const started = await harness.discord.invokeCommand({ guildId: IDS.guild, channelId: THREAD, member: members.host, name: 'kaltura', subcommand: 'start', options: { title }, appPermissions: BOT_IN_THREADS }).reply();
    expect(started.content).toMatch(/is live/);
    const card = harness.discord.channelMessages(THREAD).at(-1)!;
    const meetingId = buttonsOf(card).find((b) => b.label === 'End')!.custom_id!.split(':')[2]!;
    return { card, meetingId };
  }
  const endFromParent = (harness: Harness, meetingId: string) =>
    harness.discord.invokeCommand({ guildId: IDS.guild, channelId: PARENT, member: members.host, name: 'kaltura', subcommand: 'end', options: { meeting: meetingId } }).reply();

  it('reopens an archived thread to show Ended; posts an "ended" reply when it may not reopen it; gives up on a locked one', async () => {
    h = await startHarness(tempDir(), {
      extraChannels: [
        { id: PARENT, name: 'courses', permissionOverwrites: [{ id: IDS.guild, type: 0, allow: EVERYONE_SEES }] },
        { id: THREAD, name: 'physics-q-and-a', type: 11, parentId: PARENT },
      ],
    });
    const { discord } = h;

    // 1. Archived by inactivity (not locked): reopening needs only Send Messages; the card says Ended.
    const first = await startInThread(h, 'Physics');
    discord.archiveThread(THREAD);
    expect((await endFromParent(h, first.meetingId)).content).toMatch(/has ended/);
    await until('the card to show Ended', () => statusOf(h!, first.card.id)?.startsWith('Ended'));
    expect(discord.requests.some((r) => r.method === 'PATCH' && r.path === `/channels/${THREAD}` && r.body?.archived === false && r.status === 200)).toBe(true);

    // 2. The bot lost Send Messages (it may still post in threads): it cannot reopen the thread, so it replies under the card.
    const second = await startInThread(h, 'Chemistry');
    discord.setChannelOverwrites(PARENT, [
      { id: IDS.guild, type: 0, allow: EVERYONE_SEES },
      { id: discord.botUser.id, type: 1, deny: PERMISSIONS.SEND_MESSAGES, allow: PERMISSIONS.SEND_MESSAGES_IN_THREADS },
    ]);
    discord.archiveThread(THREAD);
    await endFromParent(h, second.meetingId);
    await until('the ended reply', () => discord.channelMessages(THREAD).some((m) => m.content === '**Chemistry** has ended.'));
    const notice = discord.channelMessages(THREAD).find((m) => m.content === '**Chemistry** has ended.')!;
    expect(notice.message_reference?.message_id).toBe(second.card.id);
    // The card itself could not be edited (50083). Posting the reply unarchives the thread (Discord's
    // rule, modelled by the fake), so a later card update may then succeed: the card's state is not asserted.
    expect(discord.requests.some((r) => r.method === 'PATCH' && r.path === `/channels/${THREAD}/messages/${second.card.id}` && r.status === 400)).toBe(true);
    expect(h.logs.lines.some((l) => String(l.msg).includes('posted an "ended" reply under it instead'))).toBe(true);

    // 3. Locked by a moderator, and the bot lacks Manage Threads: neither edit nor post; it stops trying.
    discord.setChannelOverwrites(PARENT, [{ id: IDS.guild, type: 0, allow: EVERYONE_SEES }]);
    discord.archiveThread(THREAD, { archived: false });
    const third = await startInThread(h, 'Biology');
    discord.archiveThread(THREAD, { locked: true });
    await endFromParent(h, third.meetingId);
    await until('the give-up warning', () => h!.logs.lines.some((l) => String((l.err as { message?: string } | undefined)?.message ?? '').includes('archived, locked thread')));
    const edits = () => discord.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${THREAD}/messages/${third.card.id}`).length;
    const tried = edits();
    await new Promise((r) => setTimeout(r, 1000)); // five reconciler passes
    expect(edits()).toBe(tried);
    expect(discord.channelMessages(THREAD).filter((m) => m.content === '**Biology** has ended.')).toEqual([]);
  });
});
