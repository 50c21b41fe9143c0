/**
 * Personal watch links `/v/<token>`: single use, expiry, forged and malformed tokens, an entry that
 * left the library or became hidden, and a KS only for that entry for about its length.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { joinTokenKey, MAX_ISSUED_TOKEN_LENGTH, signJoinToken } from '../../../../src/core/meetings/join-tokens';
import { WatchLinkError } from '../../../../src/core/media/create-media-service';
import { MAX_WATCH_TOKEN_LENGTH, signWatchToken, watchTokenKey } from '../../../../src/core/media/watch-tokens';
import { actor, ANA, BEA, CAT_A, CAT_B, entry, GUILD_A, OPEN, SECRET, setup, STAFF_ONLY, STAFF_ROLE, T0 } from './media-fixtures';

const ana = actor(ANA);
const bea = actor(BEA, { roleIds: [STAFF_ROLE] });

async function world() {
  const s = setup();
  s.library.entries.push(
    entry('0_alpha001', CAT_A, { name: 'Alpha', durationSeconds: 600 }),
    entry('0_bravo001', CAT_B),
    entry('0_staffrec', CAT_A, { rootEntryId: '0_stafftpl', durationSeconds: 7 * 3600 }),
  );
  await s.meeting('m_staffstaffstaffs', GUILD_A, STAFF_ONLY, '0_stafftpl');
  return s;
}

const tokenOf = (url: string) => url.slice('https://bot.example/v/'.length);

async function reason(work: Promise<unknown>): Promise<string> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WatchLinkError);
  return (err as WatchLinkError).reason;
}

describe('watch links', () => {
  it('plays once with a KS for that entry and that member, for its length plus 15 minutes', async () => {
    const s = await world();
    const { url, expiresAt } = await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    expect(url).toMatch(/^https:\/\/bot\.example\/v\/[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(expiresAt.getTime()).toBe(T0 + 5 * 60_000);
    const { entry: e, playback } = await s.service.redeemWatchLink(tokenOf(url));
    expect(e.name).toBe('Alpha');
    expect(playback.sources[0]!.mimeType).toBe('video/mp4');
    expect(s.library.playbacks).toEqual([{ entryId: '0_alpha001', options: { userId: `discord_${ANA}`, ttlSeconds: 600 + 900 } }]);
    expect(await reason(s.service.redeemWatchLink(tokenOf(url)))).toBe('used');
    expect(s.library.playbacks).toHaveLength(1);
  });

  it('caps the KS at 4 hours for a long recording and gives a short one 15 minutes', async () => {
    const s = await world();
    s.library.entries.push(entry('0_shortie1', CAT_A, { durationSeconds: 0 }));
    await s.service.redeemWatchLink(tokenOf((await s.service.issueWatchLink(bea, GUILD_A, '0_staffrec')).url));
    await s.service.redeemWatchLink(tokenOf((await s.service.issueWatchLink(bea, GUILD_A, '0_shortie1')).url));
    expect(s.library.playbacks.map((p) => p.options.ttlSeconds)).toEqual([4 * 3600, 15 * 60]);
  });

  it('is refused as expired at its expiry, without using it up before', async () => {
    const s = await world();
    const { url } = await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    s.clock.t = T0 + 5 * 60_000;
    expect(await reason(s.service.redeemWatchLink(tokenOf(url)))).toBe('expired');
    s.clock.t = T0 + 5 * 60_000 - 1_000;
    await expect(s.service.redeemWatchLink(tokenOf(url))).resolves.toBeDefined();
  });

  it('cannot be issued for another server’s entry or a hidden recording', async () => {
    const s = await world();
    await expect(s.service.issueWatchLink(ana, GUILD_A, '0_bravo001')).rejects.toMatchObject({ id: 'media.unknown' });
    await expect(s.service.issueWatchLink(ana, GUILD_A, '0_staffrec')).rejects.toMatchObject({ id: 'media.unknown' });
    expect(s.db.prepare('SELECT count(*) FROM watch_links').pluck().get()).toBe(0);
  });

  it('is "gone" when the entry left the library or its meeting channel closed to the member since — and is not used up', async () => {
    const s = await world();
    const first = await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    s.library.entries.splice(0, 1);
    expect(await reason(s.service.redeemWatchLink(tokenOf(first.url)))).toBe('gone');
    // a staff member's link to the staff recording; the roles it was issued with no longer open the channel
    const staff = await s.service.issueWatchLink(bea, GUILD_A, '0_staffrec');
    s.db.prepare("UPDATE watch_links SET role_ids = '[]'").run();
    expect(await reason(s.service.redeemWatchLink(tokenOf(staff.url)))).toBe('gone');
    expect(s.db.prepare('SELECT count(*) FROM watch_links WHERE used_at IS NOT NULL').pluck().get()).toBe(0);
    expect(s.library.playbacks).toHaveLength(0);
  });

  it('gives the link back when Kaltura cannot prepare the playback, so a retry works', async () => {
    const s = await world();
    const { url } = await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    s.library.playbackFails = new Error('kaltura down');
    await expect(s.service.redeemWatchLink(tokenOf(url))).rejects.toThrow('kaltura down');
    s.library.playbackFails = undefined;
    await expect(s.service.redeemWatchLink(tokenOf(url))).resolves.toBeDefined();
    expect(await reason(s.service.redeemWatchLink(tokenOf(url)))).toBe('used');
  });

  it('refuses forged, tampered and malformed tokens, and other kinds of token of ours', async () => {
    const s = await world();
    const { url } = await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    const token = tokenOf(url);
    const [h, p, sig] = token.split('.') as [string, string, string];
    const forged = await signWatchToken({ guildId: GUILD_A, userId: ANA, entryId: '0_alpha001', tokenId: 'x'.repeat(22) }, { key: watchTokenKey('another-links-secret-of-32-characters!!'), now: T0, ttlMs: 60_000 });
    const join = await signJoinToken({ meetingId: 'm_abcdefghijklmnop', guildId: GUILD_A, userId: ANA, role: 'attendee', tokenId: 'j'.repeat(22) }, { key: joinTokenKey(SECRET), now: T0, ttlMs: 60_000 });
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const otherEntry = `${h}.${Buffer.from(JSON.stringify({ ...payload, eid: '0_bravo001' })).toString('base64url')}.${sig}`;
    const cases = [forged.token, join.token, otherEntry, `${token}x`, token.slice(0, -1), 'abc', '', 'a.b.c', `${'e'.repeat(600)}.a.b`, `${h}.${p}`];
    for (const bad of cases) expect(await reason(s.service.redeemWatchLink(bad))).toBe('invalid');
    // and the real one still works: none of those used it up
    await expect(s.service.redeemWatchLink(token)).resolves.toBeDefined();
  });

  it('refuses a token signed with our key whose claims do not match the ledger', async () => {
    const s = await world();
    const { url } = await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    const jti = (JSON.parse(Buffer.from(tokenOf(url).split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
    const key = watchTokenKey(SECRET);
    const sign = (claims: Record<string, unknown>, sub = ANA) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setJti(jti).setIssuer('kaltura-discord').setAudience('kaltura-discord/watch').setIssuedAt(T0 / 1000).setExpirationTime(T0 / 1000 + 300).sign(key);
    expect(await reason(s.service.redeemWatchLink(await sign({ gid: GUILD_A, eid: '0_bravo001' })))).toBe('invalid');
    expect(await reason(s.service.redeemWatchLink(await sign({ gid: GUILD_A, eid: '0_alpha001' }, BEA)))).toBe('invalid');
    expect(await reason(s.service.redeemWatchLink(await sign({ gid: GUILD_A }, BEA)))).toBe('invalid');
  });

  it('keeps its token short and free of names', async () => {
    const s = setup();
    s.library.entries.push(entry('9_abcdefghijklmnopqrstuvwxyz012345', CAT_A));
    const long = actor('99999999999999999999', { displayName: 'Ana Very Long Name', roleIds: ['1', '2'] });
    const { url } = await s.service.issueWatchLink(long, GUILD_A, '9_abcdefghijklmnopqrstuvwxyz012345');
    const token = tokenOf(url);
    expect(Buffer.from(token.split('.')[1]!, 'base64url').toString()).not.toContain('Ana');
    await expect(s.service.redeemWatchLink(token)).resolves.toBeDefined();
    // every claim at its longest: a watch link fits wherever a join link does (the public URL's length limit covers both)
    const longest = await signWatchToken(
      { guildId: '9'.repeat(20), userId: '9'.repeat(20), entryId: `9_${'a'.repeat(32)}`, tokenId: 'x'.repeat(22) },
      { key: watchTokenKey(SECRET), now: 9_999_999_000_000, ttlMs: 60_000 },
    );
    expect(longest.token.length).toBeLessThanOrEqual(MAX_ISSUED_TOKEN_LENGTH);
    expect(MAX_ISSUED_TOKEN_LENGTH).toBeLessThanOrEqual(MAX_WATCH_TOKEN_LENGTH);
  });

  it('forgets links an hour after they expired when new ones are issued', async () => {
    const s = await world();
    await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    s.clock.t = T0 + 5 * 60_000 + 60 * 60_000 + 1_000;
    await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001');
    expect(s.db.prepare('SELECT count(*) FROM watch_links').pluck().get()).toBe(1);
  });

  it("asks the platform once about a recording's archived thread that left the cache since the link was issued", async () => {
    const THREAD = '200000000000000005';
    let loaded = false;
    const loads: string[] = [];
    const threadAccess = {
      permissionsIn: (g: string, c: string) => (c === THREAD ? (loaded ? 1n << 10n : undefined) : c === OPEN ? 1n << 10n : undefined),
      load: (_g: string, c: string) => {
        loads.push(c);
        loaded = true;
        return Promise.resolve();
      },
    };
    const s = setup({ overrides: { access: threadAccess } });
    s.library.entries.push(entry('0_threadrc', CAT_A, { rootEntryId: '0_threadtp' }));
    await s.meeting('m_threadthreadthre', GUILD_A, THREAD, '0_threadtp');
    loaded = true;
    const { url } = await s.service.issueWatchLink(ana, GUILD_A, '0_threadrc');
    loaded = false; // swept from the cache
    await expect(s.service.redeemWatchLink(tokenOf(url))).resolves.toBeDefined();
    expect(loads).toEqual([THREAD]);
  });

  it('plays a recording of a meeting in a channel the member can see', async () => {
    const s = await world();
    await s.meeting('m_openopenopenopen', GUILD_A, OPEN, '0_alpha001');
    await expect(s.service.redeemWatchLink(tokenOf((await s.service.issueWatchLink(ana, GUILD_A, '0_alpha001')).url))).resolves.toBeDefined();
  });
});
