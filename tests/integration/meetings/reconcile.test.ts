import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { CHANNEL, expectCleanLogs, GUILD, host, joinPath, LINKS_SECRET, member, orphansIn, startHarness, type Harness } from './harness';
import { MEETING_STORE_DRIVERS } from './store-under-test';

const logs = captureLogger();
const tempDir = useTempDirs();
let h: Harness;

describe.each(MEETING_STORE_DRIVERS)('the reconciler (%s)', (driver) => {
  beforeEach(async () => {
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver });
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(() => expectCleanLogs(logs.text(), [LINKS_SECRET, 'abcdef0123456789abcdef0123456789']));

  const start = (title: string, durationMinutes: number) => h.service.start(host, { guildId: GUILD, channelId: CHANNEL, title, durationMinutes });

  describe('reconcile', () => {
    it('does nothing when everything is as it should be', async () => {
      await start('Fine', 30);
      expect(await h.service.reconcile()).toMatchObject({ ended: 0, cardsUpdated: 0, abandoned: 0 });
      expect(h.cards.updates).toEqual([]);
    });

    it('ends meetings whose scheduled end has passed (by the injected clock) and updates their cards', async () => {
      const short = await start('Short', 15);
      const long = await start('Long', 120);
      const requestsBefore = h.fake.requests.length;
      h.clock.advance(15 * 60_000);
      expect(await h.service.reconcile()).toMatchObject({ ended: 1, cardsUpdated: 1, abandoned: 0 });
      expect(await h.repo.get(short.id)).toMatchObject({ status: 'ended', endedBy: 'schedule', endedAt: short.endsAt });
      expect((await h.repo.get(short.id))!.cardVersion).toBe((await h.repo.get(short.id))!.version);
      expect((await h.repo.get(long.id))!.status).toBe('live');
      expect(h.cards.updates).toEqual([expect.objectContaining({ id: short.id, status: 'ended' })]);
      // the scheduled event ends by itself in Kaltura: nothing to shorten or cancel (the live one is only looked up)
      expect(h.fake.requests.slice(requestsBefore).filter((r) => r.action !== 'list').map((r) => `${r.service}.${r.action}`)).toEqual([]);
      expect((await h.service.listLive(member, GUILD)).map((m) => m.id)).toEqual([long.id]);
    });

    it('re-renders a card whose update failed earlier, on a later pass', async () => {
      const m = await start('Short', 15);
      h.clock.advance(16 * 60_000);
      h.cards.failUpdates = 1;
      expect(await h.service.reconcile()).toMatchObject({ ended: 1, cardsUpdated: 0, abandoned: 0 });
      expect((await h.repo.listStaleCards(10)).map((x) => x.id)).toEqual([m.id]);
      expect(await h.service.reconcile()).toMatchObject({ ended: 0, cardsUpdated: 1, abandoned: 0 });
      expect(h.cards.updates).toEqual([expect.objectContaining({ id: m.id, status: 'ended', endedBy: 'schedule' })]);
      expect(await h.repo.listStaleCards(10)).toEqual([]);
      expect(h.cards.posts).toHaveLength(1);
    });

    it('a card edit that was overtaken by a newer one (another pass or instance) is painted again with the newer state', async () => {
      const m = await start('Overtaken', 60);
      await h.repo.transition(m.id, ['live'], { description: 'now with an agenda' }); // the card is behind
      // The reconciler's edit of the live card is held in flight…
      const update = h.cards.update.bind(h.cards);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let calls = 0;
      h.cards.update = async (meeting) => {
        if (calls++ === 0) await held;
        return update(meeting);
      };
      const pass = h.service.reconcile();
      while (calls === 0) await new Promise((r) => setTimeout(r, 5));
      // …while the host ends the meeting, whose card edit lands first; then the older edit lands.
      await h.service.end(host, GUILD, m.id);
      release();
      await pass;
      expect(h.cards.updates.at(-1)).toMatchObject({ id: m.id, status: 'ended' });
      const row = (await h.repo.get(m.id))!;
      expect(row.cardVersion).toBe(row.version);
    });

    it('gives up on a card that can no longer be edited (deleted, or access lost) instead of retrying forever', async () => {
      const m = await start('Gone', 15);
      h.clock.advance(16 * 60_000);
      h.cards.cardGone = true;
      expect(await h.service.reconcile()).toMatchObject({ ended: 1, cardsUpdated: 0, abandoned: 0 });
      expect((await h.repo.get(m.id))!.status).toBe('ended');
      expect(await h.repo.listStaleCards(10)).toEqual([]);
      expect(await h.service.reconcile()).toMatchObject({ ended: 0, cardsUpdated: 0, abandoned: 0 });
    });

    it('marks starts that crashed more than 2 minutes ago failed, removing what they made in Kaltura', async () => {
      const session = await h.kaltura.meetings.createSession({ kind: 'meeting', title: 'Crashed', durationMinutes: 30, record: false, ownerDiscordId: host.id, meetingId: 'm_crashedwithevent' });
      const base: Omit<Meeting, 'id'> = { guildId: GUILD, channelId: CHANNEL, hostId: host.id, hostName: 'Ana', kind: 'meeting', title: 'Crashed', durationMinutes: 30, record: false, status: 'starting', createdAt: h.clock.now(), version: 1, cardVersion: 0 };
      await h.repo.insert({ ...base, id: 'm_crashedwithevent', eventId: session.eventId, resourceId: session.resourceId, roomToken: session.roomToken });
      await h.repo.insert({ ...base, id: 'm_crashedbeforeany' });
      h.clock.advance(60_000);
      await h.repo.insert({ ...base, id: 'm_stillstartingnow', createdAt: h.clock.now() });

      expect(await h.service.reconcile()).toMatchObject({ ended: 0, cardsUpdated: 0, abandoned: 0 }); // 1 minute: could still be running
      h.clock.advance(61_000);
      expect(await h.service.reconcile()).toMatchObject({ ended: 0, cardsUpdated: 0, abandoned: 2 });
      expect((await h.repo.get('m_crashedwithevent'))!.status).toBe('failed');
      expect((await h.repo.get('m_crashedbeforeany'))!.status).toBe('failed');
      expect((await h.repo.get('m_stillstartingnow'))!.status).toBe('starting');
      expect(h.fake.store.events.get(session.eventId).status).toBe(3);
      expect(orphansIn(h.fake)).toEqual({ rooms: 0, events: 0, templates: 0 });
    });

    it('is safe to run concurrently with itself: each meeting is ended once', async () => {
      const made = [await start('A', 10), await start('B', 10), await start('C', 10)];
      h.clock.advance(10 * 60_000);
      const results = await Promise.all([h.service.reconcile(), h.service.reconcile(), h.service.reconcile()]);
      expect(results.reduce((n, r) => n + r.ended, 0)).toBe(3);
      for (const m of made) expect(await h.repo.get(m.id)).toMatchObject({ status: 'ended', version: m.version + 1, cardVersion: m.version + 1 });
      expect(new Set(h.cards.updates.map((u) => u.id))).toEqual(new Set(made.map((m) => m.id)));
      expect(await h.service.reconcile()).toMatchObject({ ended: 0, cardsUpdated: 0, abandoned: 0 });
    });

    it('does not end a meeting a member is ending at the same moment twice', async () => {
      const m = await start('Race', 10);
      h.clock.advance(10 * 60_000);
      const [ended] = await Promise.allSettled([h.service.end(host, GUILD, m.id), h.service.reconcile()]);
      const row = (await h.repo.get(m.id))!;
      expect(row.status).toBe('ended');
      expect(row.version).toBe(m.version + 1); // exactly one transition won
      expect(ended.status === 'fulfilled' ? row.endedBy === host.id : row.endedBy === 'schedule').toBe(true);
    });

    it('prunes used join tokens a day after they expired, and an expired link stays refused', async () => {
      const m = await start('Day', 1440);
      const link = await h.service.issueJoinLink(member, GUILD, m.id);
      expect((await h.get(joinPath(link.url))).status).toBe(302);
      const count = async () => (await h.sql<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM join_tokens'))[0]!.n;
      h.clock.advance(6 * 60 * 60_000);
      await h.service.reconcile();
      expect(await count()).toBe(1);
      h.clock.advance(18 * 60 * 60_000 + 10 * 60_000); // past expiry (5 min) + 24 h
      await h.service.reconcile();
      expect(await count()).toBe(0);
      const again = await h.get(joinPath(link.url));
      expect(again.status).toBe(410);
      expect(await again.text()).toContain('This join link has expired');
    });
  });
});
