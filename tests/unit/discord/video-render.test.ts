import { beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { composeNotification } from '../../../src/core/notifications/compose-notification';
import { notificationPolicyFromConfig } from '../../../src/core/notifications/notification-policy';
import type { MediaEntry } from '../../../src/core/ports/media-library';
import { toChannelMessage } from '../../../src/discord/discord-channel-sender';
import { customId, parseCustomId, parseMediaCustomId } from '../../../src/discord/render/custom-ids';
import { toSearchResults } from '../../../src/discord/render/search-results';
import { toVideoCard } from '../../../src/discord/render/video-card';
import { formatVideoDuration } from '../../../src/discord/render/video-labels';
import { liveMarkup, shownText } from '../../e2e/discord-markup';

const HOSTILE = '**@everyone** <#1>';

const entry = (over: Partial<MediaEntry> = {}): MediaEntry => ({
  id: '1_abc123', name: 'Intro to waves', description: 'Week 1', durationSeconds: 754, createdAt: new Date(1_800_000_000_000), ready: true,
  ownerId: 'discord_1500000000000000001', thumbnailUrl: 'https://cdn.example/p/1/thumbnail/entry_id/1_abc123', watchUrl: 'https://kaf.example/media/1_abc123', ...over,
});

type Button = { type: number; style: number; label: string; custom_id?: string; url?: string };
const buttons = (message: { components?: unknown }): Button[] => ((message.components ?? []) as { components: Button[] }[]).flatMap((r) => r.components);

describe('video custom ids', () => {
  it('round-trip for share, watch and together, and stay apart from meeting ids', () => {
    for (const action of ['share', 'watch', 'together'] as const) {
      expect(parseMediaCustomId(customId[action]('0_aB3xYz'))).toEqual({ action, entryId: '0_aB3xYz' });
      expect(parseCustomId(customId[action]('0_aB3xYz'))).toBeUndefined();
    }
    expect(parseMediaCustomId(customId.join('m_abcdefghijklmnop'))).toBeUndefined();
  });

  it('ignore anything that is not an entry id (no crash, no match)', () => {
    for (const id of ['kaltura:watch:', 'kaltura:watch:1_', 'kaltura:watch:12_abc', 'kaltura:watch:1_abc/../x', 'kaltura:watch:1_abc ', `kaltura:watch:1_${'a'.repeat(33)}`, 'kaltura:play:1_abc', 'kaltura:watch:1_abc:x', undefined, '']) {
      expect(parseMediaCustomId(id)).toBeUndefined();
    }
    expect(parseMediaCustomId(`kaltura:together:1_${'a'.repeat(32)}`)?.entryId).toHaveLength(34);
  });
});

describe('video lengths', () => {
  it('read like a player shows them', () => {
    expect([0, 42, 754, 3600, 3723.4, Number.NaN, -5].map(formatVideoDuration)).toEqual(['0:00', '0:42', '12:34', '1:00:00', '1:02:03', '0:00', '0:00']);
  });
});

describe('the public video card', () => {
  it('shows title, description, thumbnail, length and who shared it, with Watch and Watch together, pinging nobody', () => {
    const card = toVideoCard(entry(), { sharedBy: 'Alice', watchTogether: true, nonce: 's1700000000000000001' });
    expect(card.embeds![0]).toMatchObject({
      title: 'Intro to waves', description: 'Week 1', thumbnail: { url: entry().thumbnailUrl }, footer: { text: 'Shared by Alice' },
      fields: [{ name: 'Length', value: '12:34', inline: true }, { name: 'Owner', value: '<@1500000000000000001>', inline: true }],
    });
    expect(buttons(card).map((b) => [b.label, b.custom_id])).toEqual([['Watch', 'kaltura:watch:1_abc123'], ['Watch together', 'kaltura:together:1_abc123']]);
    expect(card).toMatchObject({ allowed_mentions: { parse: [] }, nonce: 's1700000000000000001', enforce_nonce: true });
  });

  it('renders Kaltura text and the sharer’s name as plain text', () => {
    const card = toVideoCard(entry({ name: HOSTILE, description: `${HOSTILE}\n[free](https://evil.example)`, ownerId: '<@&1400000000000000001>' }), { sharedBy: HOSTILE, watchTogether: true });
    const embed = card.embeds![0]!;
    for (const text of [embed.title!, embed.description!, embed.fields![1]!.value]) expect(liveMarkup(text)).toEqual([]);
    expect(shownText(embed.title!)).toBe(HOSTILE);
    expect(shownText(embed.fields![1]!.value)).toBe('<@&1400000000000000001>');
    expect(embed.footer!.text).toBe(`Shared by ${HOSTILE}`); // footers show no markdown and no mentions
  });

  it('leaves out Watch together when the Activity is not set up, and a thumbnail that is not http(s)', () => {
    const card = toVideoCard(entry({ thumbnailUrl: 'javascript:alert(1)', description: '  ' }), { sharedBy: 'A', watchTogether: false });
    expect(buttons(card).map((b) => b.label)).toEqual(['Watch']);
    expect(card.embeds![0]).not.toHaveProperty('thumbnail');
    expect(card.embeds![0]).not.toHaveProperty('description');
    expect(card).not.toHaveProperty('nonce');
  });

  it('stays within Discord’s embed limits for huge titles and descriptions', () => {
    const card = toVideoCard(entry({ name: '*'.repeat(5000), description: '_'.repeat(9000) }), { sharedBy: 'x'.repeat(3000), watchTogether: true });
    const e = card.embeds![0]!;
    expect(e.title!.length).toBeLessThanOrEqual(256);
    expect(e.description!.length).toBeLessThanOrEqual(4096);
    expect(e.footer!.text.length).toBeLessThanOrEqual(2048);
    expect(e.title!.endsWith('\\…')).toBe(false); // no half escape
  });
});

describe('search results', () => {
  it('say when nothing matches, with the query as plain text', () => {
    const reply = toSearchResults(HOSTILE, { entries: [], totalCount: 0 }, { watchTogether: true });
    expect(reply).toMatchObject({ ephemeral: true });
    expect(reply.content).toMatch(/^No video in this server’s library matches/);
    expect(liveMarkup(reply.content!)).toEqual([]);
    expect(reply.components ?? []).toEqual([]);
  });

  it('show one embed and one row of Share / Watch together per video, and the scoped count', () => {
    const entries = [entry(), entry({ id: '1_def456', name: HOSTILE, ownerId: 'teacher@example.org', thumbnailUrl: '' })];
    const reply = toSearchResults('waves', { entries, totalCount: 7 }, { watchTogether: true });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^The 2 best of 7 videos matching “waves”/);
    expect(reply.embeds!.map((e) => shownText(e.title!))).toEqual(['#1 Intro to waves', `#2 ${HOSTILE}`]);
    expect(liveMarkup(reply.embeds![1]!.title!)).toEqual([]);
    expect(reply.embeds![1]).not.toHaveProperty('thumbnail');
    expect(reply.embeds![1]!.fields!.find((f) => f.name === 'Owner')!.value).toBe('teacher@example.org');
    expect(reply.components!.map((row) => buttons({ components: [row] }).map((b) => [b.label, b.custom_id]))).toEqual([
      [['Share #1', 'kaltura:share:1_abc123'], ['Watch together #1', 'kaltura:together:1_abc123']],
      [['Share #2', 'kaltura:share:1_def456'], ['Watch together #2', 'kaltura:together:1_def456']],
    ]);
  });

  it('never show more than five, say "50 or more" at the scan limit, and drop Watch together when it is not set up', () => {
    const many = Array.from({ length: 8 }, (_, i) => entry({ id: `1_e${i}` }));
    const reply = toSearchResults('x', { entries: many, totalCount: 50 }, { watchTogether: false });
    expect(reply.embeds).toHaveLength(5);
    expect(reply.components).toHaveLength(5);
    expect(reply.content).toMatch(/^The 5 best of 50 or more videos/);
    expect(buttons(reply).every((b) => b.label.startsWith('Share'))).toBe(true);
    const one = toSearchResults('x', { entries: [entry()], totalCount: 1 }, { watchTogether: true });
    expect(one.content).toMatch(/^One video matches “x”/);
  });
});

describe('the recording-ready message', () => {
  const meeting: Meeting = {
    id: 'm_aaaaaaaaaaaaaaaa', guildId: '900000000000000001', channelId: '900000000000000002', hostId: '100000000000000001', hostName: 'Ana',
    kind: 'webinar', title: 'Office hours', durationMinutes: 90, record: true, status: 'ended', createdAt: 1_000, version: 3, cardVersion: 3,
  };
  let policy: Awaited<ReturnType<ReturnType<typeof notificationPolicyFromConfig>>>;
  beforeAll(async () => {
    policy = await notificationPolicyFromConfig({
    recordingReady: { enabled: true, template: '🎬 {title}' }, sessionStarted: { enabled: false, template: '' },
    sessionEnded: { enabled: false, template: '' }, memberJoined: { enabled: false, template: '' },
    })('g');
  });

  it('offers Watch together beside Watch for the recording’s entry', () => {
    const n = composeNotification('recordingReady', meeting, policy, { recording: { entryId: '1_rec1', url: 'https://cdn.example/w' } })!;
    expect(n.message.watchTogether).toEqual({ entryId: '1_rec1' });
    expect(buttons(toChannelMessage(n.message, 'n1'))).toEqual([
      { type: 2, style: 5, label: 'Watch', url: 'https://cdn.example/w' },
      { type: 2, style: 2, label: 'Watch together', custom_id: 'kaltura:together:1_rec1' },
    ]);
    expect(buttons(toChannelMessage(n.message, 'n1', { watchTogether: false })).map((b) => b.label)).toEqual(['Watch']);
  });

  it('still sends an outbox row queued before Watch together existed, and ignores a malformed entry id', () => {
    const queuedEarlier = JSON.parse('{"content":"🎬 Office hours","linkButtons":[{"label":"Watch","url":"https://cdn.example/w"}]}');
    expect(buttons(toChannelMessage(queuedEarlier, 'n2')).map((b) => b.label)).toEqual(['Watch']);
    expect(buttons(toChannelMessage({ content: 'x', watchTogether: { entryId: '../../x' } }, 'n3'))).toEqual([]);
    const withoutEntry = composeNotification('recordingReady', meeting, policy, { recording: { url: 'https://cdn.example/w' } })!;
    expect(withoutEntry.message).not.toHaveProperty('watchTogether');
  });
});
