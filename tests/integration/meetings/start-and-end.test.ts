import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/user-error';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { MEETING_STORE_DRIVERS } from './store-under-test';
import { CHANNEL, expectCleanLogs, expectNothingLiveInKaltura, GUILD, host, LINKS_SECRET, member, moderator, orphansIn, rejection, startHarness, type Harness } from './harness';

const logs = captureLogger();
const tempDir = useTempDirs();
let h: Harness;
const input = { guildId: GUILD, channelId: CHANNEL, title: '  Weekly sync  ', description: 'Agenda: roadmap', durationMinutes: 45 };

afterAll(() => expectCleanLogs(logs.text(), [LINKS_SECRET, 'abcdef0123456789abcdef0123456789']));

const statuses = async () => (await h.sql<{ status: string }>('SELECT status FROM meetings')).map((r) => r.status);

describe.each(MEETING_STORE_DRIVERS)('meetings over %s', (driver) => {
  beforeEach(async () => {
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver });
  });
  afterEach(async () => {
    await h.close();
  });

  describe('start', () => {
    it('creates the Kaltura session, posts the card, and stores the meeting live', async () => {
      const m = await h.service.start(host, input);
      expect(m).toMatchObject({ status: 'live', guildId: GUILD, channelId: CHANNEL, hostId: host.id, hostName: 'Ana Host', kind: 'meeting', title: 'Weekly sync', description: 'Agenda: roadmap', durationMinutes: 45, record: false });
      expect(m.id).toMatch(/^m_[a-z2-7]{16}$/);
      expect(m.startsAt).toBe(h.clock.now());
      expect(m.endsAt).toBe(h.clock.now() + 45 * 60_000);
      expect(m.cardMessageId).toBe('800000000000000001');
      expect(m.cardVersion).toBe(m.version);
      expect(await h.repo.get(m.id)).toEqual(m);

      const event = h.fake.store.events.get(m.eventId!);
      // both carry our meeting id, so a start that timed out can still find and remove them
      expect(event).toMatchObject({ status: 2, summary: 'Weekly sync', ownerId: `discord_${host.id}`, referenceId: m.id });
      expect(h.fake.store.resources.get(m.resourceId!)).toMatchObject({ status: 2, systemName: `discord_${m.id}` });
      // the card showed the live meeting (with its Kaltura ids) before the row said live
      expect(h.cards.posts).toHaveLength(1);
      expect(h.cards.posts[0]).toMatchObject({ id: m.id, status: 'live', eventId: m.eventId, version: m.version });
      expect((await h.service.listLive(member, GUILD)).map((x) => x.id)).toEqual([m.id]);
      expect((await h.service.getLive(member, GUILD, m.id)).id).toBe(m.id);
    });

    it('uses the server defaults for what the member left out', async () => {
      const m = await h.service.start(host, { guildId: GUILD, channelId: CHANNEL, title: 'Quick' });
      expect(m).toMatchObject({ kind: 'meeting', durationMinutes: 60, record: false });
      expect(m).not.toHaveProperty('description');
    });

    it("refuses a member over the server's limit before calling Kaltura, counting starts still in progress, even on two instances at once", async () => {
      await h.close();
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, policy: { maxLivePerMember: 1 } });
      const second = await h.secondInstance();
      // both instances' connections open first, so the starts really overlap
      await Promise.all([...Array.from({ length: 4 }, () => h.service.listLive(host, GUILD)), ...Array.from({ length: 4 }, () => second.service.listLive(host, GUILD))]);
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => (i % 2 ? second : h).service.start(host, input)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ id: 'meeting.member-limit' });
      expect(h.fake.store.events.size).toBe(1);
      expect(await statuses()).toEqual(['live']);
      // another member is not limited by it
      expect(await h.service.start({ ...host, id: '100000000000000009', displayName: 'Other Host' }, input)).toMatchObject({ status: 'live' });
    });

    it('refuses a member who may not start, before calling Kaltura, and says who may', async () => {
      const err = await rejection(h.service.start(member, input));
      expect(err).toBeInstanceOf(UserError);
      expect(err.id).toBe('meeting.start-forbidden');
      expect(err.message).toContain('Manage Events or Manage Server');
      expect(h.fake.requests).toHaveLength(0);
      expect(await statuses()).toEqual([]);
    });

    it('refuses invalid input before calling Kaltura', async () => {
      for (const bad of [{ title: '' }, { title: 'x'.repeat(101) }, { durationMinutes: 1441 }, { description: 'd'.repeat(1001) }]) {
        const err = await rejection(h.service.start(host, { ...input, ...bad }));
        expect(err.id).toBe('meeting.invalid');
      }
      expect(h.fake.requests).toHaveLength(0);
      expect(await statuses()).toEqual([]);
    });

    describe.each([
      ['creating the room', 'schedule_scheduleresource'],
      ['scheduling the event', 'schedule_scheduleevent'],
      ['linking room and event', 'schedule_scheduleeventresource'],
    ])('when Kaltura fails while %s', (_label, service) => {
      it('marks the meeting failed, leaves nothing in Kaltura, posts no card, and says Kaltura refused', async () => {
        h.fake.inject({ kind: 'forbid' }, { service, action: 'add' });
        const err = await rejection(h.service.start(host, input));
        expect(err).toBeInstanceOf(UserError);
        expect(err.id).toBe('meeting.kaltura-refused');
        expect(err.message).toMatch(/^Kaltura refused to create the meeting; ask the bot's operator to run `kaltura-discord doctor`\. \(reference: m_[a-z2-7]{16}\)$/);
        expect(err.cause).toMatchObject({ name: 'KalturaAPIError', code: 'SERVICE_FORBIDDEN' });
        expect(await statuses()).toEqual(['failed']);
        expect(h.cards.posts).toEqual([]);
        expectNothingLiveInKaltura(h.fake);
        expect(await h.service.listLive(member, GUILD)).toEqual([]);
        const ref = /reference: (m_\w+)/.exec(err.message)![1]!;
        expect(logs.lines.some((l) => l.meetingId === ref && l.level === 50 && l.msg === 'Kaltura could not create the meeting')).toBe(true);
      });

      it('says "try again" when Kaltura is unavailable (HTTP 503)', async () => {
        h.fake.inject({ kind: 'status', status: 503 }, { service, action: 'add' });
        const err = await rejection(h.service.start(host, input));
        expect(err.id).toBe('meeting.kaltura-unavailable');
        expect(err.message).toMatch(/^Kaltura is not answering right now; try again in a minute\. \(reference: m_/);
        expect(await statuses()).toEqual(['failed']);
        expect(h.cards.posts).toEqual([]);
        expectNothingLiveInKaltura(h.fake);
      });
    });

    it('fails the meeting when the card cannot be posted, and the reconciler then removes its Kaltura session, room and template', async () => {
      h.cards.failPosts = 1;
      const err = await rejection(h.service.start(host, input));
      expect(err).toBeInstanceOf(UserError);
      expect(err.id).toBe('meeting.card-failed');
      expect(err.message).toBe('I could not post the meeting card in this channel — check that I can view the channel, send messages and embed links.');
      expect(err.cause).toMatchObject({ name: 'FakeDiscordError' });
      expect(await statuses()).toEqual(['failed']);
      expect(await h.service.listLive(member, GUILD)).toEqual([]);
      await h.service.reconcile(); // the queued cleanup runs at once (its jobs are due now)
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
      const [event] = [...h.fake.store.events.values()];
      expect(event.status).toBe(3); // deleted: it was never shown to anyone
    });

    it('keeps retrying the cleanup of a failed start while Kaltura refuses it, with backoff, and finishes once it is allowed', async () => {
      h.cards.failPosts = 1;
      h.fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleevent', action: 'delete' });
      const err = await rejection(h.service.start(host, input));
      expect(err.id).toBe('meeting.card-failed');
      expect(await statuses()).toEqual(['failed']);
      expect((await h.service.reconcile()).jobsFailed).toBeGreaterThan(0);
      const failing = await h.sql<{ kind: string; attempts: number; last_error: string }>('SELECT kind, CAST(attempts AS INTEGER) AS attempts, last_error FROM kaltura_cleanup_jobs WHERE done_at IS NULL AND attempts > 0');
      expect(failing).toEqual([expect.objectContaining({ kind: 'discard-start', attempts: 1, last_error: expect.stringContaining('SERVICE_FORBIDDEN') })]);
      const [event] = [...h.fake.store.events.values()];
      expect(event.status).toBe(1); // the other jobs went through: cancelled, but not deleted yet
      // not retried before its backoff is over
      expect((await h.service.reconcile()).jobsFailed).toBe(0);
      h.fake.clearFaults();
      h.clock.advance(11 * 60_000); // past the backoff, and past the settle time of the sweep
      await h.service.reconcile();
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
      expect(event.status).toBe(3);
      h.clock.advance(60_000); // the sweep looks once more, finds nothing: done
      await h.service.reconcile();
      expect(await h.sql('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM kaltura_cleanup_jobs WHERE done_at IS NULL')).toEqual([{ n: 0 }]);
    });

    it('gives up after the request timeout when Kaltura hangs, with the retryable message, and is never live', async () => {
      await h.close();
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, kaltura: { requestTimeout: 300 } });
      h.fake.inject({ kind: 'hang' }, { service: 'schedule_scheduleevent', action: 'add', times: 1 });
      const err = await rejection(h.service.start(host, input));
      expect(err.id).toBe('meeting.kaltura-unavailable');
      expect(err.message).toContain('Kaltura is not answering right now; try again in a minute.');
      expect(err.cause).toMatchObject({ name: 'KalturaTransportError', failure: 'timeout', retryable: true });
      expect(await statuses()).toEqual(['failed']);
      expect(h.cards.posts).toEqual([]);
      expectNothingLiveInKaltura(h.fake);
    });

    it('abandons a start that the reconciler gave up on meanwhile, ending its session', async () => {
      await h.close();
      let pause: (() => Promise<void>) | undefined;
      h = await startHarness({
        logger: logs.logger,
        dir: tempDir(),
        driver,
        provider: (real) => ({
          ...real,
          async createSession(i) {
            const s = await real.createSession(i);
            await pause?.();
            return s;
          },
        }),
      });
      pause = async () => {
        h.clock.advance(3 * 60_000); // the start looks crashed
        expect(await h.service.reconcile()).toMatchObject({ abandoned: 1 });
      };
      const err = await rejection(h.service.start(host, input));
      expect(err.id).toBe('meeting.kaltura-unavailable');
      expect(await statuses()).toEqual(['failed']);
      expect(h.cards.posts).toEqual([]);
      await h.service.reconcile();
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
    });
  });

  describe('end', () => {
    it('refuses a plain member, checked when they click', async () => {
      const m = await h.service.start(host, input);
      const err = await rejection(h.service.end(member, GUILD, m.id));
      expect(err.id).toBe('meeting.end-forbidden');
      expect(err.message).toContain(`<@${host.id}>`);
      expect(h.fake.store.events.get(m.eventId!).status).toBe(2);
      expect((await h.repo.get(m.id))!.status).toBe('live');
    });

    it('lets the host end it: Kaltura session shortened to now and cancelled, row ended, card updated in place', async () => {
      const m = await h.service.start(host, { ...input, record: true });
      h.clock.advance(10 * 60_000);
      expect(h.fake.recordingNow(m.eventId!)).toBe(true);
      const ended = await h.service.end(host, GUILD, m.id);
      expect(ended.kalturaPending).toBeUndefined();
      // shortened first (scheduleEvent.update endDate), then cancelled: the auto-recording stops now
      expect(h.fake.store.events.get(m.eventId!)).toMatchObject({ status: 1, endDate: Math.floor(h.clock.now() / 1000), startDate: Math.floor(m.startsAt! / 1000) });
      expect(h.fake.requests.filter((r) => r.service === 'schedule_scheduleevent' && ['update', 'cancel'].includes(r.action)).map((r) => r.action)).toEqual(['update', 'cancel']);
      expect(h.fake.recordingNow(m.eventId!)).toBe(false);
      expect(ended).toMatchObject({ status: 'ended', endedBy: host.id, endedAt: h.clock.now(), cardMessageId: m.cardMessageId });
      expect(ended.version).toBe(m.version + 1);
      expect(ended.cardVersion).toBe(ended.version);
      expect(h.fake.store.events.get(m.eventId!).status).toBe(1);
      expect(h.cards.posts).toHaveLength(1); // never re-posted
      expect(h.cards.updates).toEqual([expect.objectContaining({ id: m.id, status: 'ended', version: ended.version })]);
      expect(await h.service.listLive(member, GUILD)).toEqual([]);
      expect((await rejection(h.service.end(host, GUILD, m.id))).id).toBe('meeting.already-ended');
    });

    it('lets a member with a mapped moderator role end someone else\'s meeting', async () => {
      const m = await h.service.start(host, input);
      expect(await h.service.end(moderator, GUILD, m.id)).toMatchObject({ status: 'ended', endedBy: moderator.id });
    });

    it('answers not-found for an unknown id or another server\'s meeting', async () => {
      const m = await h.service.start(host, input);
      expect((await rejection(h.service.end(host, GUILD, 'm_aaaaaaaaaaaaaaaa'))).id).toBe('meeting.not-found');
      expect((await rejection(h.service.end(host, '900000000000000999', m.id))).id).toBe('meeting.not-found');
      await expect(h.service.getLive(member, '900000000000000999', m.id)).rejects.toThrow(expect.objectContaining({ id: 'meeting.not-found' }));
    });

    it('ends the meeting here when Kaltura cannot be reached, says so, and the reconciler ends it in Kaltura once it answers', async () => {
      const m = await h.service.start(host, input);
      h.clock.advance(5 * 60_000);
      const endedAt = h.clock.now();
      h.fake.inject({ kind: 'status', status: 503 }, { service: 'schedule_scheduleevent', action: 'update' });
      const ended = await h.service.end(host, GUILD, m.id);
      expect(ended).toMatchObject({ status: 'ended', kalturaPending: 'unavailable' });
      expect(h.cards.updates).toEqual([expect.objectContaining({ id: m.id, status: 'ended' })]);
      expect(h.fake.store.events.get(m.eventId!).status).toBe(2); // not told yet
      h.clock.advance(60_000);
      expect((await h.service.reconcile()).jobsFailed).toBe(1); // still down: recorded, retried later
      h.fake.clearFaults();
      h.clock.advance(5 * 60_000);
      expect(await h.service.reconcile()).toMatchObject({ jobsDone: 1, jobsFailed: 0 });
      // shortened to when the member ended it, not to when Kaltura answered
      expect(h.fake.store.events.get(m.eventId!)).toMatchObject({ status: 1, endDate: Math.floor(endedAt / 1000) });
    });

    it('treats a session already gone from Kaltura as ended', async () => {
      const m = await h.service.start(host, input);
      h.fake.store.events.delete(m.eventId!);
      expect(await h.service.end(host, GUILD, m.id)).toMatchObject({ status: 'ended' });
    });

    it('leaves the card stale (for the reconciler) when editing it fails, and never re-posts', async () => {
      const m = await h.service.start(host, input);
      h.cards.failUpdates = 1;
      const ended = await h.service.end(host, GUILD, m.id);
      expect(ended.status).toBe('ended');
      expect(ended.cardVersion).toBeLessThan(ended.version);
      expect((await h.repo.listStaleCards(10)).map((x) => x.id)).toEqual([m.id]);
      expect(logs.lines.some((l) => l.msg === 'could not update the meeting card; will retry')).toBe(true);
      expect(await h.service.reconcile()).toMatchObject({ ended: 0, cardsUpdated: 1, abandoned: 0 });
      expect(h.cards.updates).toEqual([expect.objectContaining({ id: m.id, status: 'ended' })]);
      expect(h.cards.posts).toHaveLength(1);
      expect((await h.repo.get(m.id))!.cardVersion).toBe(ended.version);
    });
  });

  describe('listing', () => {
    it('suggests live meetings of the guild by title, case-insensitively, newest first, at most 25', async () => {
      const made = [];
      for (let i = 0; i < 27; i++) {
        made.push(await h.service.start(host, { ...input, title: i % 2 === 0 ? `Design review ${i}` : `Standup ${i}` }));
        h.clock.advance(1000);
      }
      await h.service.end(host, GUILD, made[26]!.id);
      const found = await h.service.suggestLive(member, GUILD, 'DESIGN');
      expect(found.map((m) => m.title)).toEqual(Array.from({ length: 13 }, (_, k) => `Design review ${24 - 2 * k}`));
      expect(await h.service.suggestLive(member, GUILD, '')).toHaveLength(25);
      expect((await h.service.suggestLive(member, GUILD, ''))[0]!.title).toBe('Standup 25');
      expect(await h.service.suggestLive(member, '900000000000000999', '')).toEqual([]);
    });
  });
});
