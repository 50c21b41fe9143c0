import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { parseCustomId } from '../../../src/discord/render/custom-ids';
import { toMeetingCard } from '../../../src/discord/render/meeting-card';

const base: Meeting = {
  id: 'm_abcdefghijklmnop', guildId: '1200000000000000001', channelId: '1300000000000000001', hostId: '1500000000000000001', hostName: 'Alice',
  kind: 'webinar', title: 'Physics 101', description: 'Waves', durationMinutes: 60, record: true, status: 'live', createdAt: 1_800_000_000_000,
  startsAt: 1_800_000_000_000, endsAt: 1_800_003_600_000, version: 1, cardVersion: 0,
};

describe('the meeting card', () => {
  it('shows a live meeting with its kind, host, times, and enabled Join and End buttons, mentioning nobody', () => {
    const card = toMeetingCard(base);
    const embed = card.embeds![0]!;
    expect(embed).toMatchObject({ title: 'Physics 101', description: 'Waves' });
    const fields = Object.fromEntries(embed.fields!.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ Kind: 'Webinar', Host: '<@1500000000000000001>', Status: '🟢 Live', Started: '<t:1800000000:f> (<t:1800000000:R>)', 'Scheduled end': '<t:1800003600:t>' });
    const buttons = (card.components![0] as { components: { label: string; custom_id: string; disabled: boolean }[] }).components;
    expect(buttons.map((b) => [b.label, b.disabled])).toEqual([['Join', false], ['End', false]]);
    expect(buttons.map((b) => parseCustomId(b.custom_id))).toEqual([{ action: 'join', meetingId: base.id }, { action: 'end', meetingId: base.id }]);
    expect(card.allowed_mentions).toEqual({ parse: [] });
  });

  it('shows an ended meeting with how long it lasted and disabled buttons', () => {
    const card = toMeetingCard({ ...base, status: 'ended', endedAt: base.startsAt! + 42 * 60_000, endedBy: base.hostId });
    const fields = Object.fromEntries(card.embeds![0]!.fields!.map((f) => [f.name, f.value]));
    expect(fields.Status).toBe('Ended — lasted 42 min');
    expect(fields).not.toHaveProperty('Scheduled end');
    const buttons = (card.components![0] as { components: { disabled: boolean }[] }).components;
    expect(buttons.every((b) => b.disabled)).toBe(true);
  });

  it('adds Watch together beside Watch when the Activity is set up, for the recording’s entry', () => {
    const ended = { ...base, status: 'ended' as const, endedAt: base.startsAt! + 60_000, recordingEntryId: '1_abc', recordingUrl: 'https://example.org/watch/1_abc' };
    const labels = (m: Meeting, watchTogether?: boolean) =>
      (toMeetingCard(m, { watchTogether }).components![0] as { components: { label: string; custom_id?: string; disabled?: boolean }[] }).components.map((b) => [b.label, b.custom_id ?? 'link', b.disabled ?? false]);
    expect(labels(ended, true)).toEqual([['Join', 'kaltura:join:m_abcdefghijklmnop', true], ['End', 'kaltura:end:m_abcdefghijklmnop', true], ['Watch', 'link', false], ['Watch together', 'kaltura:together:1_abc', false]]);
    expect(labels(ended, false).map((b) => b[0])).toEqual(['Join', 'End', 'Watch']);
    expect(labels(base, true).map((b) => b[0])).toEqual(['Join', 'End']); // no recording yet
    expect(labels({ ...ended, recordingEntryId: 'not an id' }, true).map((b) => b[0])).toEqual(['Join', 'End', 'Watch']);
  });

  it('adds a Watch link button once the recording is ready', () => {
    const card = toMeetingCard({ ...base, status: 'ended', endedAt: base.startsAt! + 60_000, recordingEntryId: '1_abc', recordingUrl: 'https://example.org/watch/1_abc' });
    const buttons = (card.components![0] as { components: { label: string; style: number; url?: string }[] }).components;
    expect(buttons.at(-1)).toEqual({ type: 2, style: 5, label: 'Watch', url: 'https://example.org/watch/1_abc' });
    const before = (toMeetingCard(base).components![0] as { components: { label: string }[] }).components;
    expect(before.map((b) => b.label)).toEqual(['Join', 'End']);
  });

  it('keeps within Discord limits whatever the title', () => {
    const card = toMeetingCard({ ...base, title: 'x'.repeat(500), description: 'y'.repeat(5000) });
    expect(card.embeds![0]!.title!.length).toBe(256);
    expect(card.embeds![0]!.description!.length).toBe(4096);
    // Escaped text is cut without a lone backslash at the end (it would escape the ellipsis).
    const stars = toMeetingCard({ ...base, title: '*'.repeat(500), description: '_'.repeat(5000) });
    expect(stars.embeds![0]!.title).toMatch(/^(\\\*)+…$/);
    expect(stars.embeds![0]!.title!.length).toBeLessThanOrEqual(256);
    expect(stars.embeds![0]!.description).toMatch(/^(\\_)+…$/);
  });

  it('rejects custom ids that are not ours', () => {
    for (const id of ['kaltura:join:', 'kaltura:join:m_ABC', 'other:join:m_abcdefghijklmnop', 'kaltura:delete:m_abcdefghijklmnop', undefined]) {
      expect(parseCustomId(id)).toBeUndefined();
    }
  });
});
