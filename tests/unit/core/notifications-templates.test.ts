import { describe, expect, it } from 'vitest';
import type { NotificationConfig, NotificationKind } from '../../../src/config/config-types';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { composeNotification, templateValues } from '../../../src/core/notifications/compose-notification';
import { notificationPolicyFromConfig } from '../../../src/core/notifications/notification-policy';
import { backoffDelay } from '../../../src/core/notifications/retry-backoff';
import { clipContent, escapeText, formatDuration, MAX_CONTENT_LENGTH, renderTemplate } from '../../../src/core/notifications/render-template';

const meeting: Meeting = {
  id: 'm_aaaaaaaaaaaaaaaa',
  guildId: '900000000000000001',
  channelId: '900000000000000002',
  hostId: '100000000000000001',
  hostName: 'Ana *Host*',
  kind: 'webinar',
  title: 'Office hours',
  durationMinutes: 90,
  record: true,
  status: 'ended',
  createdAt: 1_000,
  startsAt: 10_000,
  endedAt: 10_000 + 65 * 60_000,
  cardMessageId: '800000000000000001',
  version: 3,
  cardVersion: 3,
};

const config = (over: Partial<Record<NotificationKind, Partial<NotificationConfig>>> = {}): Record<NotificationKind, NotificationConfig> => ({
  recordingReady: { enabled: true, template: '🎬 {title} ({duration}) {url}', ...over.recordingReady },
  sessionStarted: { enabled: true, template: '{host} started a {kind}: {title}', ...over.sessionStarted },
  sessionEnded: { enabled: true, template: '{title} ended after {duration} in {channel}', ...over.sessionEnded },
  memberJoined: { enabled: true, template: '{member} joined {title}', ...over.memberJoined },
});

describe('templates', () => {
  it('fills every named placeholder', () => {
    const values = templateValues('recordingReady', meeting, { recording: { url: 'https://cdn.example/watch', durationSeconds: 3_725 } });
    expect(renderTemplate('{title}|{kind}|{host}|{hostName}|{url}|{duration}|{member}|{channel}', values)).toBe(
      'Office hours|webinar|<@100000000000000001>|Ana \\*Host\\*|https://cdn.example/watch|1 h 2 min||<#900000000000000002>',
    );
    expect(renderTemplate('{member}', templateValues('memberJoined', meeting, { member: { id: '100000000000000003', displayName: 'Bo' } }))).toBe('<@100000000000000003>');
  });

  it('leaves unknown placeholders as written, and fills a known one used twice', () => {
    expect(renderTemplate('{title} {titles} {Title} { title } {} {title}', { title: 'T' })).toBe('T {titles} {Title} { title } {} T');
  });

  it('escapes what members wrote: mentions, role pings, markdown links and formatting render as text', async () => {
    expect(escapeText('@everyone and @here')).toBe('@\u200beveryone and @\u200bhere');
    expect(escapeText('<@&1300000000000000009> <@1> <#2> <t:1:R>')).toBe('\\<@&1300000000000000009\\> \\<@1\\> \\<\\#2\\> \\<t:1:R\\>');
    expect(escapeText('[click](https://evil.example)')).toBe('\\[click\\]\\(https://evil.example\\)');
    expect(escapeText('**bold** __u__ ~~s~~ `code` ||spoiler|| # head -# small > quote')).toBe(
      '\\*\\*bold\\*\\* \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\# head \\-\\# small \\> quote',
    );
    expect(escapeText('back\\slash')).toBe('back\\\\slash');
    expect(escapeText('two\nlines\r\nhere')).toBe('two lines here');
    // the template's own markdown is the admin's and stays
    const hostile = { ...meeting, title: '@everyone ](https://x) <@&1>' };
    expect(composeNotification('sessionEnded', hostile, (await notificationPolicyFromConfig(config({ sessionEnded: { template: '**{title}**' } }))('g')))!.message.content).toBe(
      '**@\u200beveryone \\]\\(https://x\\) \\<@&1\\>**',
    );
  });

  it('clips to 2000 characters without splitting a surrogate pair', async () => {
    const long = renderTemplate(`${'a'.repeat(1_998)}🎬🎬 {title}`, { title: 'x' });
    expect(long.length).toBeLessThanOrEqual(MAX_CONTENT_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    expect(clipContent(`${'a'.repeat(1_998)}🎬`)).toBe(`${'a'.repeat(1_998)}🎬`); // exactly 2000 units: kept
    expect(clipContent(`${'a'.repeat(1_998)}🎬b`)).toBe(`${'a'.repeat(1_998)}…`);
    const huge = composeNotification('sessionStarted', { ...meeting, title: 'x'.repeat(100) }, (await notificationPolicyFromConfig(config({ sessionStarted: { template: '{title}'.repeat(25) } }))('g')))!;
    expect(huge.message.content.length).toBe(MAX_CONTENT_LENGTH);
  });

  it('formats durations', () => {
    expect([0, 45, 60, 89, 90, 3_600, 3_725, 86_400].map(formatDuration)).toEqual(['0 s', '45 s', '1 min', '1 min', '2 min', '1 h', '1 h 2 min', '24 h']);
  });
});

describe('composing notifications', () => {
  const policy = () => notificationPolicyFromConfig(config())('any guild');

  it('replies to the card in its channel; a recording gets a Watch button', async () => {
    const n = composeNotification('recordingReady', meeting, await policy(), { recording: { url: 'https://cdn.example/w', durationSeconds: 600 } })!;
    expect(n).toEqual({
      channelId: meeting.channelId,
      dedupeKey: `recording:${meeting.id}`,
      message: { content: '🎬 Office hours (10 min) https://cdn.example/w', replyToMessageId: meeting.cardMessageId, linkButtons: [{ label: 'Watch', url: 'https://cdn.example/w' }] },
    });
  });

  it('goes to the configured channel without a reply (a reply must be in the card’s channel)', async () => {
    const elsewhere = await notificationPolicyFromConfig(config({ sessionEnded: { channelId: '900000000000000077' } }))('g');
    expect(composeNotification('sessionEnded', meeting, elsewhere)).toEqual({
      channelId: '900000000000000077',
      dedupeKey: `ended:${meeting.id}`,
      message: { content: 'Office hours ended after 1 h 5 min in <#900000000000000002>' },
    });
  });

  it('is nothing when the kind is off or renders empty', async () => {
    expect(composeNotification('memberJoined', meeting, await notificationPolicyFromConfig(config({ memberJoined: { enabled: false } }))('g'), { member: { id: '1', displayName: 'x' } })).toBeUndefined();
    expect(composeNotification('memberJoined', meeting, await notificationPolicyFromConfig(config({ memberJoined: { template: '  {url} ' } }))('g'), { member: { id: '1', displayName: 'x' } })).toBeUndefined();
  });

  it('dedupes joins per member and meeting', async () => {
    const a = composeNotification('memberJoined', meeting, await policy(), { member: { id: '100000000000000003', displayName: 'Bo' } })!;
    expect(a.dedupeKey).toBe(`joined:${meeting.id}:100000000000000003`);
  });

  it('the config lookup is frozen and the same for every guild (tests and tools; the app reads per-server settings)', async () => {
    const lookup = notificationPolicyFromConfig(config({ recordingReady: { channelId: '900000000000000077' } }));
    expect(await lookup('a')).toBe(await lookup('b'));
    expect(Object.isFrozen(await lookup('a'))).toBe(true);
    expect((await lookup('a')).recordingReady).toEqual({ enabled: true, channelId: '900000000000000077', template: '🎬 {title} ({duration}) {url}' });
    expect(Object.keys((await lookup('a')).sessionStarted)).not.toContain('channelId');
  });
});

describe('helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseMs: 1_000, maxMs: 300_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1_000, 2_000]);
    expect(backoffDelay(30, policy, () => 1)).toBe(300_000);
    expect(backoffDelay(1_000, policy, () => 0.5)).toBe(225_000);
  });
});
