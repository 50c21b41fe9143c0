import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSION, type Actor } from '../../../src/core/meetings/actor';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { CHANNEL, expectCleanLogs, GUILD, host, joinPath, LINKS_SECRET, member, moderator, rejection, startHarness, type Harness } from './harness';
import { MEETING_STORE_DRIVERS } from './store-under-test';

/**
 * The meetings service keeps a meeting to the members who can view its channel (the ChannelAccess
 * port answers who can) and decides rights by their permissions there. The Discord adapter's answers
 * are proven against the fake Discord elsewhere (tests/integration/discord/channel-access.test.ts).
 */

const logs = captureLogger();
const tempDir = useTempDirs();
const ELSEWHERE = '900000000000000077';
let h: Harness;
let meeting: Meeting;

describe.each(MEETING_STORE_DRIVERS)('visibility (%s)', (driver) => {
  beforeEach(async () => {
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver });
    meeting = await h.service.start(host, { guildId: GUILD, channelId: CHANNEL, title: 'Staff only', durationMinutes: 60 });
    h.access.privateChannels.set(CHANNEL, new Set([host.id, moderator.id]));
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(() => expectCleanLogs(logs.text(), [LINKS_SECRET]));

  /** The member as an interaction from another channel describes them. */
  const from = (actor: Actor, channelId = ELSEWHERE, permissions = PERMISSION.viewChannel): Actor => ({ ...actor, channelId, permissions });

  describe('a meeting in a channel the member cannot view', () => {
    it('is not listed, not suggested, and "not found" for join, end and lookup, exactly like an unknown id', async () => {
      const outsider = from(member);
      expect(await h.service.listLive(outsider, GUILD)).toEqual([]);
      expect(await h.service.suggestLive(outsider, GUILD, '')).toEqual([]);
      const unknown = await rejection(h.service.issueJoinLink(outsider, GUILD, 'm_aaaaaaaaaaaaaaaa'));
      for (const attempt of [h.service.issueJoinLink(outsider, GUILD, meeting.id), h.service.end(outsider, GUILD, meeting.id)]) {
        const err = await rejection(attempt);
        expect({ id: err.id, message: err.message }).toEqual({ id: unknown.id, message: unknown.message });
      }
      await expect(h.service.getLive(outsider, GUILD, meeting.id)).rejects.toThrow(unknown.message);
      expect((await h.repo.get(meeting.id))!.status).toBe('live');
    });

    it('is shown to those who can view it', async () => {
      expect((await h.service.listLive(from(moderator), GUILD)).map((m) => m.id)).toEqual([meeting.id]);
      expect((await h.service.suggestLive(from(moderator), GUILD, 'staff')).map((m) => m.id)).toEqual([meeting.id]);
    });

    it('fails closed when the channel is unknown (deleted or hidden from the bot)', async () => {
      h.access.gone.add(CHANNEL);
      expect(await h.service.listLive(from(moderator), GUILD)).toEqual([]);
      // Acting in the channel itself: Discord's own permissions for it are used.
      expect(await h.service.listLive(from(moderator, CHANNEL), GUILD)).toHaveLength(1);
    });

    it('a link issued in a thread works after the thread left the cache (archived): the channel is asked for once', async () => {
      const link = await h.service.issueJoinLink(from(moderator, CHANNEL), GUILD, meeting.id);
      h.access.gone.add(CHANNEL);
      h.access.loadable.add(CHANNEL);
      expect((await h.get(joinPath(link.url))).status).toBe(302);
      expect(h.access.loads).toEqual([CHANNEL]);
      // Still unknown once asked (deleted): "does not exist", and the next link is not used up.
      const next = await h.service.issueJoinLink(from(moderator, CHANNEL), GUILD, meeting.id);
      h.access.gone.add(CHANNEL);
      h.access.loadable.delete(CHANNEL);
      expect((await h.get(joinPath(next.url))).status).toBe(404);
    });

    it('a link stops working when the member loses sight of the channel, and is not used up', async () => {
      const link = await h.service.issueJoinLink(from(moderator), GUILD, meeting.id);
      h.access.privateChannels.set(CHANNEL, new Set([host.id]));
      const res = await h.get(joinPath(link.url));
      expect(res.status).toBe(404);
      h.access.privateChannels.set(CHANNEL, new Set([host.id, moderator.id]));
      expect((await h.get(joinPath(link.url))).status).toBe(302);
    });
  });

  describe('rights come from the meeting’s channel', () => {
    it('Manage Events in the invoking channel does not make a moderator of a meeting in another channel', async () => {
      h.access.privateChannels.delete(CHANNEL);
      const elsewhere = from(member, ELSEWHERE, PERMISSION.viewChannel | PERMISSION.manageEvents);
      expect((await h.service.issueJoinLink(elsewhere, GUILD, meeting.id)).role).toBe('attendee');
      expect((await rejection(h.service.end(elsewhere, GUILD, meeting.id))).id).toBe('meeting.end-forbidden');
      // The same permission in the meeting's own channel does.
      expect((await h.service.issueJoinLink(from(member, CHANNEL, PERMISSION.viewChannel | PERMISSION.manageEvents), GUILD, meeting.id)).role).toBe('moderator');
    });

    it('a timed-out member keeps only View Channel and Read Message History: no moderator, no End, in any channel', async () => {
      h.access.privateChannels.delete(CHANNEL);
      const manage = PERMISSION.viewChannel | PERMISSION.manageEvents;
      h.access.extra.set(member.id, PERMISSION.manageEvents);
      // Not timed out: Manage Events in the meeting's channel (computed, or Discord's own) makes a moderator.
      expect((await h.service.issueJoinLink(from(member), GUILD, meeting.id)).role).toBe('moderator');
      // Timed out (owners and administrators are exempt): the same permissions give nothing more than sight.
      // https://discord.com/developers/docs/topics/permissions#permissions-for-timed-out-members
      for (const actor of [{ ...from(member), timedOut: true }, { ...from(member, CHANNEL, manage), timedOut: true }]) {
        expect((await h.service.listLive(actor, GUILD)).map((m) => m.id)).toEqual([meeting.id]);
        expect((await h.service.issueJoinLink(actor, GUILD, meeting.id)).role).toBe('attendee');
        expect((await rejection(h.service.end(actor, GUILD, meeting.id))).id).toBe('meeting.end-forbidden');
      }
      const admin = { ...from(member, CHANNEL, PERMISSION.administrator | manage), timedOut: true };
      expect((await h.service.issueJoinLink(admin, GUILD, meeting.id)).role).toBe('moderator');
    });
  });
});
