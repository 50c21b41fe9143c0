import { Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PUBLIC_URL_LENGTH } from '../../src/core/meetings/join-tokens';
import type { FakeMember } from '../fakes/discord/index';
import { loginTestClient } from '../fakes/discord/test-client';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, linkButtonUrl, members, startHarness, type Harness } from './meeting-harness';

/** 32 CJK characters (3 bytes each in UTF-8) and 16 family emoji (7 code points, 25 bytes each). */
const cjk: FakeMember = { id: '1500000000000000041', username: 'mei', roles: [], nick: '会'.repeat(16) + '議'.repeat(16) };
const emoji: FakeMember = { id: '1500000000000000042', username: 'emo', roles: [], nick: '👩‍👩‍👧‍👦'.repeat(16) };

/**
 * A link button's URL holds at most 512 characters (the fake Discord answers 50035 beyond, as
 * Discord does), so a join link must fit whatever the member's name and with the longest
 * `http.publicUrl` the configuration accepts.
 */
describe('join links always fit a link button', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('the fake Discord refuses a link button URL over 512 characters with 50035', async () => {
    h = await startHarness(tempDir());
    const client = await loginTestClient(h.discord);
    try {
      const url = `https://example.org/${'a'.repeat(493)}`;
      expect(url).toHaveLength(513);
      const body = { content: 'x', components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Open', url }] }] };
      await expect(client.client.rest.post(Routes.channelMessages(IDS.channel), { body })).rejects.toMatchObject({ code: 50035 });
      await client.client.rest.post(Routes.channelMessages(IDS.channel), { body: { ...body, components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Open', url: url.slice(0, 512) }] }] } });
    } finally {
      await client.destroy();
    }
  });

  it('members with 32 CJK characters or 16 emoji as their name get a link under the longest public URL, and join with their name', async () => {
    const base = 'http://127.0.0.1:65535';
    // The longest path the schema allows after a base of this length (ports vary; pad to the limit).
    const prefix = `/${'p'.repeat(MAX_PUBLIC_URL_LENGTH - base.length - 1)}`;
    h = await startHarness(tempDir(), { publicUrlPath: prefix });
    expect(h.publicUrl.length).toBeLessThanOrEqual(MAX_PUBLIC_URL_LENGTH);
    expect(h.publicUrl.length).toBeGreaterThanOrEqual(MAX_PUBLIC_URL_LENGTH - 1);
    await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Names' } }).reply();
    const card = h.discord.channelMessages(IDS.channel).at(-1)!;
    const joinId = (card.components as { components: { custom_id?: string; label: string }[] }[])[0]!.components.find((b) => b.label === 'Join')!.custom_id!;

    for (const member of [cjk, emoji]) {
      const reply = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member, messageId: card.id, customId: joinId }).reply();
      const link = linkButtonUrl(reply);
      expect(link.length).toBeLessThanOrEqual(512);
      // The proxy in front of the bot strips the path prefix; the bot serves /j/<token>.
      const res = await fetch(link.replace(prefix, ''), { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect((await fetch(res.headers.get('location')!)).status).toBe(200);
      const launch = h.kaltura.launches.at(-1)!;
      expect(launch.userId).toBe(`discord_${member.id}`);
      // The name reached the room even though the token no longer carries it (the room's sanitizer drops joiners, U+200D).
      expect((launch.firstName ?? '').length).toBeGreaterThan(0);
      expect(member.nick!.replace(/\u200d/g, '').startsWith(launch.firstName!)).toBe(true);
    }
    // No Discord call was refused.
    expect(h.discord.requests.filter((r) => r.errorCode === 50035)).toEqual([]);
  });
});
