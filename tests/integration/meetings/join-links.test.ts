import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/meetings/actor';
import { joinTokenKey, signJoinToken } from '../../../src/core/meetings/join-tokens';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { UserError } from '../../../src/core/user-error';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { CHANNEL, expectCleanLogs, GUILD, host, joinPath, LINK_TTL_MS, LINKS_SECRET, member, moderator, rejection, startHarness, type Harness } from './harness';
import { MEETING_STORE_DRIVERS } from './store-under-test';

const logs = captureLogger();
const tempDir = useTempDirs();
const APP_TOKEN = { id: '0_tok1', token: 'c0ffee0123456789c0ffee0123456789', hashType: 'SHA256' as const };
let h: Harness;
let meeting: Meeting;

describe.each(MEETING_STORE_DRIVERS)('join links (%s)', (driver) => {
  beforeEach(async () => {
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver });
    meeting = await h.service.start(host, { guildId: GUILD, channelId: CHANNEL, title: 'Office hours', durationMinutes: 60 });
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(() => expectCleanLogs(logs.text(), [LINKS_SECRET, 'abcdef0123456789abcdef0123456789', APP_TOKEN.token]));

  async function linkFor(actor: Actor) {
    return h.service.issueJoinLink(actor, GUILD, meeting.id);
  }

  function expectPageHeaders(res: Response): void {
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  }

  describe('issuing', () => {
    it('makes a personal link under the public URL that expires after links.ttl', async () => {
      const link = await linkFor(member);
      expect(link.url).toMatch(/^https:\/\/bot\.example\.org\/j\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(link.expiresAt).toBe(h.clock.now() + LINK_TTL_MS);
      expect(link.role).toBe('attendee');
      expect(link.meeting.id).toBe(meeting.id);
      expect((await linkFor(member)).url).not.toBe(link.url); // a new jti every time
    });

    it('refuses an ended meeting, and one past its scheduled end before the reconciler ran', async () => {
      h.clock.advance(60 * 60_000);
      const err = await rejection(linkFor(member));
      expect(err).toBeInstanceOf(UserError);
      expect(err).toMatchObject({ id: 'meeting.ended', message: 'This meeting has ended.' });
      expect(await h.service.listLive(member, GUILD)).toEqual([]);
    });
  });

  describe('GET /j/<token>', () => {
    it.each([
      ['the host', host, 'moderator', 'adminRole', '0'],
      ['a member with the mapped moderator role', moderator, 'moderator', 'adminRole', '0'],
      ['a plain member', member, 'attendee', 'viewerRole', '3'],
    ] as const)('redirects %s into the KAF room with the right role', async (_label, actor, role, kafRole, contextual) => {
      const link = await linkFor(actor);
      expect(link.role).toBe(role);
      const res = await h.get(joinPath(link.url));
      expect(res.status).toBe(302);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const location = res.headers.get('location')!;
      expect(location.startsWith(`${h.fake.kafUrl}/virtualEvent/launch?ks=`)).toBe(true);

      expect((await fetch(location)).status).toBe(200);
      expect(h.fake.launches).toHaveLength(1);
      expect(h.fake.launches[0]).toMatchObject({ eventId: String(meeting.eventId), userId: `discord_${actor.id}`, role: kafRole, userContextualRole: contextual, type: 0 });
      expect(await h.ledger.listJoins(meeting.id)).toEqual([{ userId: actor.id, role, at: h.clock.now() }]);
    });

    it('works once: the same link again is a 410 "already used" page', async () => {
      const path = joinPath((await linkFor(member)).url);
      expect((await h.get(path)).status).toBe(302);
      const again = await h.get(path);
      expect(again.status).toBe(410);
      expectPageHeaders(again);
      const body = await again.text();
      expect(body).toContain('This join link was already used');
      expect(body).toContain('click Join');
      expect(body).not.toContain('<script');
      expect(await h.ledger.listJoins(meeting.id)).toHaveLength(1);
    });

    it('lets exactly one of two simultaneous uses through', async () => {
      const path = joinPath((await linkFor(member)).url);
      const statuses = (await Promise.all([h.get(path), h.get(path), h.get(path)])).map((r) => r.status).sort();
      expect(statuses).toEqual([302, 410, 410]);
    });

    it('lets exactly one of simultaneous uses through when they reach two instances', async () => {
      const second = await h.secondInstance();
      const path = joinPath((await linkFor(member)).url);
      const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? second.get(path) : h.get(path))));
      expect(responses.map((r) => r.status).sort()).toEqual([302, 410, 410, 410, 410, 410]);
      expect(await h.ledger.listJoins(meeting.id)).toHaveLength(1);
    });

    it('answers 410 "ended" for a meeting that ended after the link was issued, without using the link up', async () => {
      const link = await linkFor(member);
      await h.service.end(host, GUILD, meeting.id);
      const res = await h.get(joinPath(link.url));
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('This meeting has ended');
      expect(await h.sql('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM join_tokens')).toEqual([{ n: 0 }]);
    });

    it('answers 410 "expired" after links.ttl by the injected clock, and tells how long links last', async () => {
      const link = await linkFor(member);
      h.clock.advance(LINK_TTL_MS);
      const res = await h.get(joinPath(link.url));
      expect(res.status).toBe(410);
      const body = await res.text();
      expect(body).toContain('This join link has expired');
      expect(body).toContain('Join links work for 5 minutes');
    });

    it('answers 404 for a validly signed link to a meeting this bot does not know', async () => {
      const { token } = await signJoinToken(
        { meetingId: 'm_zzzzzzzzzzzzzzzz', guildId: GUILD, userId: member.id, role: 'moderator', tokenId: 'x1' },
        { key: joinTokenKey(LINKS_SECRET), now: h.clock.now(), ttlMs: 60_000 },
      );
      const res = await h.get(`/j/${token}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('This meeting does not exist');
    });

    it('answers 401 for a link whose role was edited, and 400 for a cut-off link', async () => {
      const token = joinPath((await linkFor(member)).url).slice(3);
      const [hd, payload, sig] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${hd}.${Buffer.from(JSON.stringify({ ...claims, role: 'moderator' })).toString('base64url')}.${sig}`;
      const res = await h.get(`/j/${forged}`);
      expect(res.status).toBe(401);
      expectPageHeaders(res);
      expect(await res.text()).toContain('This join link is not valid');
      const cut = await h.get(`/j/${token.slice(0, token.indexOf('.') + 5)}`);
      expect(cut.status).toBe(400);
      expect(await cut.text()).toContain('Copy the whole link');
      expect((await h.get(`/j/${token}/extra`)).status).toBe(400);
      expect(h.fake.launches).toHaveLength(0);
      // the real link still works: refusals did not use it up
      expect((await h.get(`/j/${token}`)).status).toBe(302);
    });

    it.each([
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'facebookexternalhit/1.1',
      'Twitterbot/1.0',
      'WhatsApp/2.23.20.0',
      'TelegramBot (like TwitterBot)',
      'LinkedInBot/1.0 (compatible; Mozilla/5.0)',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ])('shows the link-preview bot %s a neutral page without using the link', async (ua) => {
      const path = joinPath((await linkFor(member)).url);
      const preview = await h.get(path, { headers: { 'user-agent': ua } });
      expect(preview.status).toBe(200);
      expectPageHeaders(preview);
      expect(await preview.text()).toContain('Personal meeting link');
      expect(h.fake.launches).toHaveLength(0);
      const browser = await h.get(path, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' } });
      expect(browser.status).toBe(302);
    });

    it('does not use the link on HEAD', async () => {
      const path = joinPath((await linkFor(member)).url);
      const head = await h.get(path, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('location')).toBeNull();
      expect((await h.get(path)).status).toBe(302);
    });

    it('redirects even when updating the member in Kaltura fails, and logs that at warn', async () => {
      h.fake.inject({ kind: 'forbid' }, { service: 'user' });
      const res = await h.get(joinPath((await linkFor(member)).url));
      expect(res.status).toBe(302);
      await h.members.settled();
      const warn = logs.lines.find((l) => l.msg === 'could not update the member in Kaltura; the join went ahead');
      expect(warn).toMatchObject({ level: 40, userId: member.id });
    });

    it('does not wait for the member update before redirecting', async () => {
      h.fake.inject({ kind: 'hang' }, { service: 'user', action: 'add', times: 1 });
      const res = await h.get(joinPath((await linkFor(member)).url));
      expect(res.status).toBe(302);
      expect(h.members.unsettled()).toBe(1); // the Kaltura call hangs until its timeout; the redirect did not wait
      await h.members.settled();
      expect(h.members.unsettled()).toBe(0);
    });

    it('syncs a rejoining member at most once an hour, but again when their name changed', async () => {
      const userAdds = () => h.fake.requests.filter((r: { service: string; action: string }) => r.service === 'user' && r.action === 'add').length;
      await h.get(joinPath((await linkFor(member)).url));
      await h.members.settled();
      const afterFirst = userAdds();
      expect(afterFirst).toBeGreaterThan(0);
      await h.get(joinPath((await linkFor(member)).url));
      await h.members.settled();
      expect(userAdds()).toBe(afterFirst); // a reload within the hour does not call Kaltura again
      await h.get(joinPath((await linkFor({ ...member, displayName: 'Renamed Member' })).url));
      await h.members.settled();
      expect(userAdds()).toBeGreaterThan(afterFirst);
    });

    it('mirrors the member into Kaltura after a join', async () => {
      await h.get(joinPath((await linkFor(moderator)).url));
      await h.members.settled();
      expect(h.fake.store.users.get(`discord_${moderator.id}`)).toMatchObject({ firstName: 'Mo', lastName: 'Derator' });
    });
  });

  describe('GET /j/<token> in app-token mode', () => {
    it('answers 503 "could not reach Kaltura" with a reference when minting the KS fails; never a 500 or a stack', async () => {
      await h.close();
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, appToken: APP_TOKEN });
      meeting = await h.service.start(host, { guildId: GUILD, channelId: CHANNEL, title: 'Office hours' });
      h.fake.inject({ kind: 'status', status: 503 }, { service: 'apptoken', action: 'startSession' });
      const res = await h.get(joinPath((await linkFor(member)).url));
      expect(res.status).toBe(503);
      expectPageHeaders(res);
      const body = await res.text();
      expect(body).toContain('Could not reach Kaltura');
      expect(body).toContain('click Join');
      expect(body).not.toMatch(/\bat .*\.ts:\d+|KalturaTransportError|djJ8/);
      const reference = /reference: ([0-9a-f]{8})/.exec(body)![1];
      expect(logs.lines.find((l) => l.reference === reference)).toMatchObject({ level: 50, msg: 'join link could not be redeemed' });

      h.fake.clearFaults();
      const ok = await h.get(joinPath((await linkFor(member)).url));
      expect(ok.status).toBe(302);
      expect((await fetch(ok.headers.get('location')!)).status).toBe(200);
      expect(h.fake.launches[0]).toMatchObject({ userId: `discord_${member.id}`, role: 'viewerRole' });
    });

    it('lets exactly one of simultaneous uses through while minting the KS waits on Kaltura', async () => {
      await h.close();
      h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, appToken: APP_TOKEN });
      meeting = await h.service.start(host, { guildId: GUILD, channelId: CHANNEL, title: 'Office hours' });
      // each redemption mints the member's KS through appToken.startSession: a real wait on the network
      h.fake.inject({ kind: 'latency', ms: 150 }, { service: 'apptoken', action: 'startSession' });
      const path = joinPath((await linkFor(member)).url);
      const minted = h.fake.requests.filter((r) => r.service === 'apptoken' && r.action === 'startSession').length;
      const responses = await Promise.all(Array.from({ length: 5 }, () => h.get(path)));
      expect(responses.map((r) => r.status).sort()).toEqual([302, 410, 410, 410, 410]);
      expect(await h.ledger.listJoins(meeting.id)).toHaveLength(1);
      // the losers were refused before a KS was minted for them
      expect(h.fake.requests.filter((r) => r.service === 'apptoken' && r.action === 'startSession').length - minted).toBeLessThanOrEqual(1);
    });
  });
});
