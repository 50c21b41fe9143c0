/**
 * What meetings leave in Kaltura, counted at the fake: nothing once they are over and the
 * retention has passed, however starts and ends were interrupted (process killed between steps,
 * Kaltura timing out after doing the work, Kaltura refusing for a while).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MeetingProvider } from '../../../src/core/ports/meeting-provider';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { CHANNEL, expectCleanLogs, GUILD, host, LINKS_SECRET, orphansIn, rejection, startHarness, type Harness } from './harness';
import { MEETING_STORE_DRIVERS } from './store-under-test';

const logs = captureLogger();
const tempDir = useTempDirs();
let h: Harness | undefined;
describe.each(MEETING_STORE_DRIVERS)('Kaltura cleanup (%s)', (driver) => {
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  afterAll(() => expectCleanLogs(logs.text(), [LINKS_SECRET, 'abcdef0123456789abcdef0123456789']));

  const DAY = 24 * 3_600_000;
  const input = { guildId: GUILD, channelId: CHANNEL, title: 'Cycle', durationMinutes: 60, record: true };
  const never = new Promise<never>(() => undefined);

  /** Points where the test "kills the process": the provider call blocks for good. */
  interface Crash {
    afterCreate?: boolean;
    inEnd?: boolean;
  }

  function crashingProvider(crash: Crash) {
    return (real: MeetingProvider): MeetingProvider => ({
      ...real,
      async createSession(i) {
        const dies = crash.afterCreate;
        const s = await real.createSession(i);
        if (dies) return never; // Kaltura made it all, our row never heard of the ids
        return s;
      },
      async endSession(ref) {
        if (crash.inEnd && ref.interactive) return never; // the end is recorded, Kaltura not told yet
        return real.endSession(ref);
      },
    });
  }

  describe('ending a meeting in Kaltura', () => {
    it('ends a meeting whose session was cancelled in Kaltura, and one whose session was deleted there, in one batched lookup', async () => {
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver });
      const [a, b, c] = [await h.service.start(host, input), await h.service.start(host, input), await h.service.start(host, input)];
      h.fake.store.events.get(a.eventId!).status = 1; // an admin cancelled it in the KMC
      h.fake.store.events.get(b.eventId!).status = 3; // … and deleted this one
      const before = h.fake.requests.length;
      const result = await h.service.reconcile();
      expect(result).toMatchObject({ endedInKaltura: 2 });
      expect(await h.repo.get(a.id)).toMatchObject({ status: 'ended', endedBy: 'kaltura' });
      expect(await h.repo.get(b.id)).toMatchObject({ status: 'ended', endedBy: 'kaltura' });
      expect((await h.repo.get(c.id))!.status).toBe('live');
      expect(h.cards.updates.map((m) => [m.id, m.status])).toEqual(expect.arrayContaining([[a.id, 'ended'], [b.id, 'ended']]));
      const lookups = h.fake.requests.slice(before).filter((r) => r.service === 'schedule_scheduleevent' && (r.action === 'list' || r.action === 'get'));
      // one list for the three live meetings; the one not listed is confirmed gone before its card says so
      expect(lookups.map((r) => r.action)).toEqual(['list', 'get']);
      expect(String(lookups[0]!.params.filter.idIn).split(',').map(Number).sort()).toEqual([a.eventId, b.eventId, c.eventId].sort());
      // the cancelled one was also shortened, so its auto-recording stops
      expect(h.fake.store.events.get(a.eventId!).endDate).toBe(Math.floor(h.clock.now() / 1000));
      expect((await h.service.reconcile()).endedInKaltura).toBe(0);
    });

    it('cleans up after a meeting another path ended without queueing its removal (a "cancelled" webhook): shortened now, room and template gone after the retention', async () => {
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, retireAfterMs: 2 * DAY });
      const m = await h.service.start(host, input);
      h.clock.advance(10 * 60_000);
      h.fake.store.events.get(m.eventId!).status = 1; // cancelled in the KMC; the webhook arrived first
      // what process-inbox's endCancelledMeeting writes: the row only, no cleanup jobs
      await h.repo.transition(m.id, ['live'], { status: 'ended', endedAt: h.clock.now(), endedBy: 'kaltura' });
      await h.service.reconcile();
      expect(h.fake.store.events.get(m.eventId!).endDate).toBe(Math.floor(h.clock.now() / 1000)); // its auto-recording stops
      h.clock.advance(2 * DAY + 60_000);
      await h.service.reconcile();
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
    });

    it('keeps the room and the template through the retention, then removes them; recordings stay', async () => {
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, retireAfterMs: 2 * DAY });
      const m = await h.service.start(host, input);
      h.clock.advance(20 * 60_000);
      await h.service.end(host, GUILD, m.id);
      const recording = h.fake.addRecording(m.resourceId!, { eventId: m.eventId! });
      h.clock.advance(2 * DAY - 60_000);
      await h.service.reconcile();
      expect(h.fake.store.resources.get(m.resourceId!).status).toBe(2); // recordings may still be looked for
      expect(orphansIn(h.fake).templates).toBe(1);
      h.clock.advance(2 * 60_000);
      expect((await h.service.reconcile()).jobsDone).toBe(2);
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
      expect(h.fake.store.entries.get(recording.id)!.status).toBe(2);
    });

    it('with Kaltura not answering, a reconcile pass waits on one job only and leaves the others untouched for later', async () => {
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, kaltura: { requestTimeout: 300 }, retireAfterMs: 3_600_000 });
      for (let i = 0; i < 3; i++) await h.service.end(host, GUILD, (await h.service.start(host, input)).id);
      h.clock.advance(2 * 3_600_000); // the rooms and templates are due
      h.fake.inject({ kind: 'hang' });
      expect(await h.service.reconcile()).toMatchObject({ jobsFailed: 1, jobsDone: 0 }); // one request timeout, not one per job
      const attempts = (await h.sql<{ attempts: number }>('SELECT CAST(attempts AS INTEGER) AS attempts FROM kaltura_cleanup_jobs WHERE done_at IS NULL ORDER BY id')).map((r) => r.attempts);
      expect(attempts.filter((a) => a === 1)).toHaveLength(1);
      expect(attempts.filter((a) => a === 0)).toHaveLength(5);
      h.fake.clearFaults();
      h.clock.advance(60_000);
      expect((await h.service.reconcile()).jobsDone).toBe(6);
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
    });

    it('removes a template whose id a start never learned also on an account that moderates new entries (hidden from default lists)', async () => {
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, kaltura: { requestTimeout: 300 } });
      h.fake.inject({ kind: 'lost-reply' }, { service: 'media', action: 'add', times: 1 });
      const err = await rejection(h.service.start(host, input));
      expect(err.id).toBe('meeting.kaltura-unavailable');
      // partner moderate_content: entry::setDefaultModerationStatus made it PENDING_MODERATION (1)
      const templates = [...h.fake.store.entries.values()].filter((e) => /^m_/.test(String(e.referenceId ?? '')));
      expect(templates).toHaveLength(1);
      templates[0]!.moderationStatus = 1;
      await h.service.reconcile();
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
    });

    it('removes what a start created when Kaltura did the work but its answer was lost (timeout)', async () => {
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, kaltura: { requestTimeout: 300 } });
      h.fake.inject({ kind: 'lost-reply' }, { service: 'schedule_scheduleevent', action: 'add', times: 1 });
      const err = await rejection(h.service.start(host, input));
      expect(err.id).toBe('meeting.kaltura-unavailable');
      // the event exists in Kaltura although the bot never learned its id
      expect(orphansIn(h.fake).events).toBe(1);
      await h.service.reconcile();
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
    });

    it('leaves no orphans after many start/end cycles with the process killed between steps, once the retention has passed', async () => {
      const crash: Crash = {};
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, provider: crashingProvider(crash), kaltura: { requestTimeout: 300 } });
      const kinds = ['clean', 'crash-after-create', 'crash-in-end', 'lost-reply', 'crash-before-end', 'clean'] as const;
      let started = 0;
      for (let cycle = 0; cycle < 18; cycle++) {
        const kind = kinds[cycle % kinds.length]!;
        if (kind === 'crash-after-create') {
          crash.afterCreate = true;
          void h.service.start(host, input).catch(() => undefined); // blocks forever: the process "dies" here
          await new Promise((r) => setTimeout(r, 50));
          await h.crash();
          crash.afterCreate = false;
          started++;
          continue;
        }
        if (kind === 'lost-reply') {
          h.fake.inject({ kind: 'lost-reply' }, { service: 'schedule_scheduleeventresource', action: 'add', times: 1 });
          await h.service.start(host, input).catch(() => undefined);
          started++;
          continue;
        }
        const m = await h.service.start(host, input);
        started++;
        h.clock.advance(5 * 60_000);
        if (kind === 'crash-in-end') {
          crash.inEnd = true;
          void h.service.end(host, GUILD, m.id).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 50));
          await h.crash();
          crash.inEnd = false;
        } else if (kind === 'crash-before-end') {
          await h.crash(); // killed while live; the meeting runs to its scheduled end
        } else {
          await h.service.end(host, GUILD, m.id);
        }
        await h.service.reconcile();
      }
      expect(started).toBe(18);
      expect(h.fake.store.resources.size).toBeGreaterThanOrEqual(18);
      // Everything is over: the scheduled ends pass, then the retention (7 days by default).
      h.clock.advance(2 * 3_600_000);
      await h.service.reconcile();
      h.clock.advance(7 * DAY + 60_000);
      for (let pass = 0; pass < 4; pass++) {
        await h.service.reconcile();
        h.clock.advance(60_000);
      }
      // Events that ran to their scheduled end stay as history (ACTIVE, in the past); nothing can open or record.
      expect(orphansIn(h.fake, Math.floor(h.clock.now() / 1000))).toEqual({ rooms: 0, events: 0, templates: 0 });
      expect(await h.sql('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM kaltura_cleanup_jobs WHERE done_at IS NULL')).toEqual([{ n: 0 }]);
      expect(await h.sql("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM meetings WHERE status IN ('live', 'starting')")).toEqual([{ n: 0 }]);
    });
  });
});
