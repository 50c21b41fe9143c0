import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/meetings/actor';
import { captureLogger } from '../../helpers/capture-logger';
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

async function harness(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  h = await startHarness({ logger: logs.logger, dir: tempDir(), ...options });
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

describe('notifications from meeting events', () => {
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
    const keys = (t.db.prepare('SELECT dedupe_key FROM outbox ORDER BY id').all() as { dedupe_key: string }[]).map((r) => r.dedupe_key);
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
    expect(t.store.meetings.get(meeting.id)).toMatchObject({ status: 'ended', endedBy: 'schedule' });
  });

  it('posts nothing for kinds that are off (the defaults: only recordings)', async () => {
    const t = await harness({ notifications: DEFAULT_NOTIFICATIONS });
    const meeting = await t.start('Quiet');
    await join(t, member, meeting.id);
    await t.service.end(host, GUILD, meeting.id);
    await t.settle();
    expect(t.sender.attempts).toEqual([]);
    expect(t.rows('outbox')).toEqual([]);
  });

  it('rolls the end back with its notification when the outbox cannot be written (one transaction)', async () => {
    const t = await harness({ notifications: allEnabled() });
    const meeting = await t.start('Atomic');
    await t.settle();
    t.db.exec("CREATE TRIGGER outbox_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    await expect(t.service.end(host, GUILD, meeting.id)).rejects.toThrow(/disk is full/);
    expect(t.store.meetings.get(meeting.id)!.status).toBe('live');
    t.db.exec('DROP TRIGGER outbox_full');
    // Kaltura was told first (as before notifications); the meeting ends on the next try
    await t.service.end(host, GUILD, meeting.id);
    await t.settle();
    expect(t.sender.contents()).toEqual([expect.stringContaining('started'), '**Atomic** has ended after 0 s.']);
  });
});
