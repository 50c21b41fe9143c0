/**
 * Notifications with several instances on one database: the outbox and the webhook inbox run on
 * every instance (leases keep each message and each event to one of them), the recording poller
 * only on the leader.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createNotifications, notificationPolicyFromConfig, type Notifications } from '../../../src/core/notifications/create-notifications';
import { periodicJob } from '../../../src/core/notifications/periodic-job';
import { captureLogger } from '../../helpers/capture-logger';
import { STORE_DRIVERS } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import { APP_TOKEN, DEFAULT_NOTIFICATIONS, entryNotificationBody, expectCleanLogs, GUILD, host, LINKS_SECRET, signed, startHarness, type Harness } from './harness';
import { until } from './test-sender';

const logs = captureLogger();
const tempDir = useTempDirs();
const secrets = new Set<string>([LINKS_SECRET, APP_TOKEN.token]);
let h: Harness | undefined;
const others: Notifications[] = [];
afterEach(async () => {
  for (const n of others.splice(0)) await n.stop();
  await h?.close();
  h = undefined;
});
afterAll(() => expectCleanLogs(logs.text(), [...secrets]));

describe('leader-only jobs', () => {
  it('a leader-only job runs its passes only while this instance leads, and starts when it becomes leader', async () => {
    let leader = false;
    let passes = 0;
    const job = periodicJob({ name: 'poll', leaderOnly: true, everyMs: 5, pass: async () => void passes++, leadership: { isLeader: () => leader, instanceId: 'i' }, logger: logs.logger });
    job.start(); // the start pass is synchronous: skipped, not leading
    expect(passes).toBe(0);
    leader = true; // another instance died; this one took the advisory lock
    await until(() => passes >= 2, 'passes as leader');
    await job.stop();
    const everywhere = periodicJob({ name: 'inbox', leaderOnly: false, everyMs: 60_000, pass: async () => void passes++, leadership: { isLeader: () => false, instanceId: 'i' }, logger: logs.logger });
    const before = passes;
    everywhere.start();
    expect(passes).toBe(before + 1); // runs on a follower too
    await everywhere.stop();
  });
});

describe.each(STORE_DRIVERS)('two instances on one database (%s)', (driver) => {
  it('lists its jobs: outbox and inbox on every instance, the recording poller on the leader only', async () => {
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, startJobs: false });
    expect(h.notifications.jobs.map((j) => [j.name, j.leaderOnly])).toEqual([
      ['notifications.outbox', false],
      ['notifications.inbox', false],
      ['notifications.recording-poll', true],
    ]);
  });

  it('polls Kaltura for recordings only on the leader; a follower still runs its outbox and inbox', async () => {
    const t = await startHarness({ logger: logs.logger, dir: tempDir(), driver, startJobs: false });
    h = t;
    secrets.add(t.fake.adminSecret);
    const peer = await t.db.peer();
    const polls = { leader: 0, follower: 0 };
    const instance = (role: 'leader' | 'follower') => {
      // counts the poller's first store call, made synchronously when its pass starts
      const store = { ...peer, meetings: { ...peer.meetings, listAwaitingRecording: (...a: Parameters<typeof peer.meetings.listAwaitingRecording>) => (polls[role]++, peer.meetings.listAwaitingRecording(...a)) } };
      const n = createNotifications({
        store,
        leadership: { isLeader: () => role === 'leader', instanceId: role },
        exclusive: false,
        sender: t.sender,
        media: t.kaltura.media,
        provider: t.kaltura.meetings,
        verifier: t.kaltura.webhooks,
        policyFor: notificationPolicyFromConfig(DEFAULT_NOTIFICATIONS),
        config: t.config,
        clock: t.clock,
        logger: logs.logger,
      });
      others.push(n);
      return n;
    };
    const follower = instance('follower');
    follower.start();
    expect(polls).toEqual({ leader: 0, follower: 0 });
    const leader = instance('leader');
    leader.start();
    expect(polls).toEqual({ leader: 1, follower: 0 });
    // the follower's inbox and outbox work: an event stored anywhere is acted on and announced by it
    const meeting = await t.start('Follower at work');
    t.clock.advance(60_000);
    await t.service.end(host, GUILD, meeting.id);
    const entry = t.fake.addRecording(meeting.resourceId!);
    const { body, headers } = signed(t.fake, entryNotificationBody(entry, 991_000));
    expect(await (await t.post(body, headers)).json()).toEqual({ status: 'accepted' });
    await leader.stop(); // only the follower is left
    expect(await follower.processInbox()).toEqual({ processed: 1, failed: 0 });
    await until(() => t.sender.posted.length === 1, 'the announcement');
    expect(polls.follower).toBe(0);
  });

  it('share the webhook inbox and the outbox: every event is acted on once and every recording announced once', async () => {
    const t = await startHarness({ logger: logs.logger, dir: tempDir(), driver, startJobs: false });
    h = t;
    secrets.add(t.fake.adminSecret);
    const second = createNotifications({
      store: await t.db.peer(),
      leadership: { isLeader: () => false, instanceId: 'second-instance' },
      exclusive: false, // (SQLite) the harness's instance owns the file; this one must not free its leases
      sender: t.sender, // one Discord
      media: t.kaltura.media,
      provider: t.kaltura.meetings,
      verifier: t.kaltura.webhooks,
      policyFor: notificationPolicyFromConfig(DEFAULT_NOTIFICATIONS),
      config: t.config,
      clock: t.clock,
      logger: logs.logger,
      dispatcher: { backoff: { baseMs: 1, maxMs: 4 } },
    });
    others.push(second);
    // events arrive (at either instance: they share the table) before anyone processes them
    const entries = [];
    for (let i = 0; i < 6; i++) {
      const meeting = await t.start(`Class ${i}`);
      t.clock.advance(60_000);
      await t.service.end(host, GUILD, meeting.id);
      const entry = t.fake.addRecording(meeting.resourceId!);
      entries.push(entry);
      const { body, headers } = signed(t.fake, entryNotificationBody(entry, 990_000 + i));
      expect(await (await t.post(body, headers)).json()).toEqual({ status: 'accepted' });
    }
    const [one, two] = await Promise.all([t.notifications.processInbox(), second.processInbox()]);
    expect(one.processed + two.processed).toBe(6);
    expect(one.failed + two.failed).toBe(0);
    expect((await t.rows('webhook_inbox')).map((r) => [r.status, r.lease_owner])).toEqual(Array.from({ length: 6 }, () => ['done', null]));

    for (const n of [t.notifications, second]) n.jobs.find((j) => j.name === 'notifications.outbox')!.start();
    await until(async () => (await t.notifications.stats()).outbox.pending === 0 && t.sender.posted.length === 6, 'six announcements');
    expect(t.sender.attempts).toHaveLength(6); // none tried twice
    expect(t.sender.posted.map((p) => p.message.linkButtons?.[0]?.url).sort()).toEqual(entries.map((e) => t.kaltura.media.watchUrl(e.id)).sort());
  });
});
