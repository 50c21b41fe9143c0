/**
 * A meeting's state change and what it tells the notifications feature commit in one transaction:
 * the hooks get that transaction, see the change through it, and a hook the database refuses undoes
 * the change (nothing half-done: no end without its cleanup jobs, no notification of an end that
 * did not happen).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import type { MeetingNotifier } from '../../../src/core/ports/notification-hooks';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { CHANNEL, expectCleanLogs, GUILD, host, joinPath, LINKS_SECRET, member, rejection, startHarness, type Harness } from './harness';
import { MEETING_STORE_DRIVERS } from './store-under-test';

const logs = captureLogger();
const tempDir = useTempDirs();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => expectCleanLogs(logs.text(), [LINKS_SECRET]));

const input = { guildId: GUILD, channelId: CHANNEL, title: 'Standup', durationMinutes: 30 };

describe.each(MEETING_STORE_DRIVERS)('meetings and their notifications in one unit of work (%s)', (driver) => {
  it('hands each hook the transaction of the change, which already shows it', async () => {
    const seen: string[] = [];
    const notifier: MeetingNotifier = {
      async sessionStarted(tx, meeting) {
        const row = await tx.meetings.get(meeting.id);
        seen.push(`started ${row?.status} v${row?.version}=${meeting.version}`);
      },
      async sessionEnded(tx, meeting) {
        const row = await tx.meetings.get(meeting.id);
        seen.push(`ended ${row?.status} by ${row?.endedBy}`);
      },
      async memberJoined(tx, meeting, m) {
        const joins = await tx.joinLedger.listJoins(meeting.id);
        seen.push(`joined ${m.id} ${joins.map((j) => j.userId).join(',')}`);
      },
    };
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, notifier });
    const meeting = await h.service.start(host, input);
    const link = await h.service.issueJoinLink(member, GUILD, meeting.id);
    expect((await h.get(joinPath(link.url))).status).toBe(302);
    await h.service.end(host, GUILD, meeting.id);
    expect(seen).toEqual([
      `started live v${meeting.version}=${meeting.version}`,
      `joined ${member.id} ${member.id}`,
      `ended ended by ${host.id}`,
    ]);
  });

  it('undoes an end whose notification the database refuses: still live, nothing queued, Kaltura not told, the card untouched', async () => {
    let refuse = false;
    const ended: Meeting[] = [];
    const notifier: MeetingNotifier = {
      sessionStarted: async () => {},
      async sessionEnded(tx, meeting) {
        // what a failing outbox insert looks like to the use case
        if (refuse) throw new Error('the database refused the outbox row');
        ended.push(meeting);
      },
      memberJoined: async () => {},
    };
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, notifier });
    const meeting = await h.service.start(host, input);
    const requests = h.fake.requests.length;
    refuse = true;
    expect((await rejection(h.service.end(host, GUILD, meeting.id))).message).toBe('the database refused the outbox row');
    expect(await h.repo.get(meeting.id)).toMatchObject({ status: 'live', version: meeting.version });
    expect(await h.store.cleanupJobs.counts(Number.MAX_SAFE_INTEGER)).toMatchObject({ pending: 0 });
    expect(h.fake.requests.slice(requests).filter((r) => r.action !== 'list')).toEqual([]);
    expect(h.cards.updates).toEqual([]);
    // once the database accepts it, the same End goes through, notified once
    refuse = false;
    expect(await h.service.end(host, GUILD, meeting.id)).toMatchObject({ status: 'ended', endedBy: host.id });
    expect(ended.map((m) => m.id)).toEqual([meeting.id]);
  });
});
