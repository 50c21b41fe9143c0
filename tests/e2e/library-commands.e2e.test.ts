import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { liveMarkup, shownText } from './discord-markup';
import { buttonsOf, EVERYONE_PERMISSIONS, IDS, linkButtonUrl, members, startHarness, until, type Harness } from './meeting-harness';

const HOSTILE = '**@everyone** <#1>';
const OTHER_GUILD = '1200000000000000002';
const OTHER_CHANNEL = '1300000000000000202';
const otherServer = { id: OTHER_GUILD, name: 'Elsewhere', channels: [{ id: OTHER_CHANNEL, name: 'films' }], roles: [{ id: OTHER_GUILD, name: '@everyone', permissions: EVERYONE_PERMISSIONS }] };

/** The server's own Kaltura category (created by the bot on first use), as the fake Kaltura holds it. */
function categoryOf(h: Harness, guildId: string): number {
  const found = [...h.kaltura.store.categories.values()].find((c: { fullName: string; status: number }) => c.status === 2 && c.fullName.endsWith(`>${guildId}`));
  if (!found) throw new Error(`no category for ${guildId} in the fake Kaltura`);
  return (found as { id: number }).id;
}

describe('the video library in Discord, end to end: the real app, the fake Discord, the fake Kaltura', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('search → Share → public card → Watch (single-use link) → Watch together (LAUNCH_ACTIVITY, intent recorded); another server’s video is unknown', async () => {
    h = await startHarness(tempDir(), { media: true, extraGuilds: [otherServer] });
    const { discord, kaltura } = h;
    const search = (query: string) => discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'search', options: { query } });

    // Nothing yet (and each server's category now exists in Kaltura).
    const empty = await search('waves').reply();
    expect(empty).toMatchObject({ ephemeral: true });
    expect(empty.content).toMatch(/^No video in this server’s library matches/);
    await discord.invokeCommand({ guildId: OTHER_GUILD, channelId: OTHER_CHANNEL, member: members.student, name: 'kaltura', subcommand: 'search', options: { query: 'waves' } }).reply();

    const mine = kaltura.addEntry({ name: `${HOSTILE} waves`, description: 'Week 1 [free](https://evil.example)', categoryIds: [categoryOf(h, IDS.guild)], video: true });
    const elsewhere = kaltura.addEntry({ name: 'Waves from elsewhere', categoryIds: [categoryOf(h, OTHER_GUILD)], video: true }); // the other server's

    const found = search('waves');
    expect((await found.acknowledged).type).toBe(5);
    const results = await found.reply();
    expect(results.ephemeral).toBe(true);
    expect(results.embeds).toHaveLength(1);
    expect(results.content).toMatch(/^One video matches/); // the other server's is not even counted
    expect(shownText(results.embeds[0]!.title!)).toBe(`#1 ${HOSTILE} waves`);
    expect(liveMarkup(JSON.stringify(results.embeds))).toEqual([]);
    expect(JSON.stringify(results)).not.toContain(elsewhere.id);
    expect(buttonsOf(results).map((b) => [b.label, b.custom_id])).toEqual([['Share #1', `kaltura:share:${mine.id}`], ['Watch together #1', `kaltura:together:${mine.id}`]]);

    // Share: a public card in the channel, an ephemeral confirmation.
    const before = discord.channelMessages(IDS.channel).length;
    const shared = await discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, fromReply: found, customId: `kaltura:share:${mine.id}` }).reply();
    expect(shared.ephemeral).toBe(true);
    const [card] = discord.channelMessages(IDS.channel).slice(before);
    expect(card).toBeDefined();
    expect((card!.flags ?? 0) & 64).toBe(0);
    expect(shownText(card!.embeds[0]!.title!)).toBe(`${HOSTILE} waves`);
    expect(liveMarkup(`${card!.embeds[0]!.title} ${card!.embeds[0]!.description}`)).toEqual([]);
    expect(card!.embeds[0]!.footer?.text).toBe('Shared by sofia');
    expect(buttonsOf(card!).map((b) => b.label)).toEqual(['Watch', 'Watch together']);

    // Watch, by another member: their own link, which works once.
    const watch = await discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.teacher, messageId: card!.id, customId: `kaltura:watch:${mine.id}` }).reply();
    expect(watch.ephemeral).toBe(true);
    const link = linkButtonUrl(watch);
    expect(link.startsWith(`${h.publicUrl}/v/`)).toBe(true);
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(link)).status).toBe(410);

    // Watch together: answered with LAUNCH_ACTIVITY, no defer; the intent is in SQLite for the Activity.
    const together = discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.teacher, messageId: card!.id, customId: `kaltura:together:${mine.id}` });
    expect((await together.acknowledged).type).toBe(12);
    expect(together.callbacks.map((c) => c.type)).toEqual([12]);
    expect(discord.launchedActivity(together)).toBeDefined();
    const db = new Database(path.join(h.dir, 'state.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT user_id, guild_id, channel_id, entry_id FROM activity_launches').all()).toEqual([{ user_id: IDS.teacher, guild_id: IDS.guild, channel_id: IDS.channel, entry_id: mine.id }]);
    } finally {
      db.close();
    }

    // The other server's video, its id typed by hand: as unknown as a made-up one, nothing posted.
    const count = discord.channelMessages(IDS.channel).length;
    const refused = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'share', options: { entry: elsewhere.id } }).reply();
    expect(refused).toMatchObject({ ephemeral: true, content: 'No such video in this server’s library.' });
    expect(discord.channelMessages(IDS.channel)).toHaveLength(count);
    expect(kaltura.deliveries.filter((d) => d.entryId === elsewhere.id)).toEqual([]); // never played either
  });

  it('the recording-ready message offers Watch together beside Watch, and it launches the Activity', async () => {
    h = await startHarness(tempDir(), { media: true });
    const { discord, kaltura } = h;
    const before = new Set(kaltura.store.resources.keys());
    await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Physics 101', record: true } }).reply();
    const card = discord.channelMessages(IDS.channel).at(-1)!;
    const resourceId = [...kaltura.store.resources.keys()].find((k) => !before.has(k))!;
    const end = buttonsOf(card).find((b) => b.label === 'End')!;
    await discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id! }).reply();
    const recording = kaltura.addRecording(resourceId);
    await kaltura.emitWebhook(`${h.publicUrl}/webhooks/kaltura`, { entry: recording, eventType: 3, jobId: 778001 }, { algo: 'sha256' });
    const reply = await until('the recording-ready reply', () => discord.channelMessages(IDS.channel).find((m) => m.message_reference?.message_id === card.id));
    expect(buttonsOf(reply).map((b) => [b.label, b.custom_id ?? 'link'])).toEqual([['Watch', 'link'], ['Watch together', `kaltura:together:${recording.id}`]]);
    const together = discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, messageId: reply.id, customId: `kaltura:together:${recording.id}` });
    expect((await together.acknowledged).type).toBe(12);
    // The card gets it too, beside its Watch link.
    const updated = await until('Watch on the card', () => (buttonsOf(discord.message(card.id)!).some((b) => b.label === 'Watch') ? discord.message(card.id)! : undefined));
    expect(buttonsOf(updated).map((b) => b.label)).toEqual(['Join', 'End', 'Watch', 'Watch together']);
  });

  it('without the Activity set up, a shared card offers Watch only', async () => {
    h = await startHarness(tempDir());
    await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'search', options: { query: 'x' } }).reply();
    const entry = h.kaltura.addEntry({ name: 'Lecture', categoryIds: [categoryOf(h, IDS.guild)], video: true });
    const shared = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'share', options: { entry: entry.id } }).reply();
    expect(shared.content).toMatch(/^Shared \*\*Lecture\*\*/);
    const card = h.discord.channelMessages(IDS.channel).at(-1)!;
    expect(buttonsOf(card).map((b) => b.label)).toEqual(['Watch']);
  });
});
