import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/meetings/actor';
import { captureLogger } from '../../helpers/capture-logger';
import { STORE_DRIVERS, type StoreDriver } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import {
  allEnabled,
  APP_TOKEN,
  CHANNEL,
  DEFAULT_NOTIFICATIONS,
  expectCleanLogs,
  GUILD,
  host,
  joinPath,
  LINKS_SECRET,
  member,
  OTHER_CHANNEL,
  startHarness,
  type Harness,
  type HarnessOptions,
} from './harness';

const logs = captureLogger();
const tempDir = useTempDirs();
const secrets = new Set<string>([LINKS_SECRET, APP_TOKEN.token]);
let h: Harness | undefined;

let driver: StoreDriver = 'sqlite';
async function harness(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, ...options });
  secrets.add(h.fake.adminSecret);
  return h;
}
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => expectCleanLogs(logs.text(), [...secrets]));

async function join(t: Harness, actor: Actor, meetingId: string): Promise<void> {
  const link = await t.service.issueJoinLink(actor, GUILD, meetingId);
  const res = await t.get(joinPath(link.url));
  expect(res.status).toBe(302);
}

describe.each(STORE_DRIVERS)('notifications from meeting events (%s)', (d) => {
  beforeEach(() => {
    driver = d;
  });

  it('posts started, joined (once per member) and ended, as replies to the card, pinging nobody', async () => {
    const t = await harness({ notifications: allEnabled() });
    const meeting = await t.start('Sprint <@&1300000000000000009> @everyone [free](https://evil.example)');
    await join(t, member, meeting.id);
    await join(t, member, meeting.id); // a second link for the same member: no second notice
    t.clock.advance(25 * 60_000);
    await t.service.end(host, GUILD, meeting.id);
    await t.settle();

    const title = 'Sprint \\<@&1300000000000000009\\> @\u200beveryone \\[free\\]\\(https://evil.example\\)';
    expect(t.sender.posted.map((p) => p.message.content)).toEqual([
      `🟢 <@${host.id}> started a meeting: **${title}**.`,
      `<@${member.id}> joined **${title}**.`,
      `**${title}** has ended after 25 min.`,
    ]);
    for (const p of t.sender.posted) expect(p).toMatchObject({ channelId: CHANNEL, message: { replyToMessageId: meeting.cardMessageId } });
    const keys = (await t.db.all<{ dedupe_key: string }>('SELECT dedupe_key FROM outbox ORDER BY id')).map((r) => r.dedupe_key);
    expect(keys).toEqual([`started:${meeting.id}`, `joined:${meeting.id}:${member.id}`, `ended:${meeting.id}`]);
  });

  it('posts the schedule end found by the reconciler, to the configured channel (not a reply there)', async () => {
    const config = allEnabled();
    const t = await harness({ notifications: { ...config, sessionStarted: { ...config.sessionStarted, enabled: false }, sessionEnded: { ...config.sessionEnded, channelId: OTHER_CHANNEL } } });
    const meeting = await t.start('Short one', { durationMinutes: 15 });
    t.clock.advance(16 * 60_000);
    await t.service.reconcile();
    await t.settle();
    expect(t.sender.posted.map((p) => [p.channelId, p.message])).toEqual([[OTHER_CHANNEL, { content: '**Short one** has ended after 15 min.' }]]);
    expect(await t.store.meetings.get(meeting.id)).toMatchObject({ status: 'ended', endedBy: 'schedule' });
  });

  it('posts nothing for kinds that are off (the defaults: only recordings)', async () => {
    const t = await harness({ notifications: DEFAULT_NOTIFICATIONS });
    const meeting = await t.start('Quiet');
    await join(t, member, meeting.id);
    await t.service.end(host, GUILD, meeting.id);
    await t.settle();
    expect(t.sender.attempts).toEqual([]);
    expect(await t.rows('outbox')).toEqual([]);
  });

  it('rolls the end back with its notification when the outbox cannot be written (one transaction)', async () => {
    const t = await harness({ notifications: allEnabled() });
    const meeting = await t.start('Atomic');
    await t.settle();
    await t.breakOutbox(true);
    await expect(t.service.end(host, GUILD, meeting.id)).rejects.toThrow(/disk is full/);
    expect((await t.store.meetings.get(meeting.id))!.status).toBe('live');
    await t.breakOutbox(false);
    // Kaltura was told first (as before notifications); the meeting ends on the next try
    await t.service.end(host, GUILD, meeting.id);
    await t.settle();
    expect(t.sender.contents()).toEqual([expect.stringContaining('started'), '**Atomic** has ended after 0 s.']);
  });
});
