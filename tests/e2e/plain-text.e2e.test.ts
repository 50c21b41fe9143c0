import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { liveMarkup, shownText } from './discord-markup';
import { IDS, members, startHarness, until, type Harness } from './meeting-harness';

/** A title and description written to trick members: a masked link and fake mentions. */
const TITLE = `[Free Nitro](https://evil.example/claim) <@&${IDS.studentsRole}> @everyone <#${IDS.announcements}>`;
const DESCRIPTION = `Claim it [here](https://evil.example/2) <@${IDS.student}>\n# Official`;

/**
 * What members write stays text: wherever the bot shows a title or description (card, ephemeral
 * replies, the list, notifications), Discord would render no link and no mention of theirs,
 * and members still read exactly what was written. `allowed_mentions` stays empty.
 */
describe('member-written titles and descriptions render as plain text', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const inert = (where: string, text: string | undefined, written: string) => {
    expect(text, where).toBeDefined();
    expect(liveMarkup(text!), where).toEqual(liveMarkup(text!).filter((m) => m === `<@${IDS.host}>` || m === `<#${IDS.channel}>`));
    expect(shownText(text!), where).toContain(written);
  };

  it('in the card, the start, list, join and end replies and a notification', async () => {
    h = await startHarness(tempDir(), { extraYaml: '  notifications:\n    sessionStarted:\n      enabled: true\n' });
    const { discord } = h;
    const start = await discord
      .invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: TITLE, description: DESCRIPTION } })
      .reply();
    inert('start reply', start.content, TITLE);

    const card = discord.channelMessages(IDS.channel).find((m) => m.embeds.length > 0)!;
    inert('card title', card.embeds[0]!.title, TITLE);
    inert('card description', card.embeds[0]!.description, 'Claim it [here](https://evil.example/2)');
    expect(shownText(card.embeds[0]!.description!)).toBe(DESCRIPTION); // line break kept, heading not rendered
    expect(card.mention_everyone).toBe(false);

    const list = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'list' }).reply();
    inert('list', list.content, TITLE);
    const meetingId = (card.components as { components: { custom_id?: string; label: string }[] }[])[0]!.components.find((b) => b.label === 'Join')!.custom_id!.split(':')[2]!;
    const join = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'join', options: { meeting: meetingId } }).reply();
    inert('join reply', join.content, TITLE);

    const notice = await until('the started notification', () => discord.channelMessages(IDS.channel).find((m) => m.message_reference && m.content.includes('started')));
    inert('notification', notice.content, TITLE);

    const end = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'end', options: { meeting: meetingId } }).reply();
    inert('end reply', end.content, TITLE);

    // Every message the bot sent itself went out with no mentions allowed.
    const sent = discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path));
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const r of sent) expect(r.body.allowed_mentions).toEqual({ parse: [] });
  });
});
