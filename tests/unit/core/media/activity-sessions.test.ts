/**
 * Who gets into the Watch together Activity: a member in the instance, of a server and channel the
 * bot serves, who can see that channel. Everyone else gets no session, and with it no KS. Sessions
 * are verified without the network and refuse anything forged, expired or malformed.
 */
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ActivityAuthError } from '../../../../src/core/media/create-media-service';
import { sessionTokenKey, signSessionToken } from '../../../../src/core/media/session-tokens';
import { ANA, BEA, CAL, CAT_A, CAT_B, CHANNEL_B, entry, GUILD_A, GUILD_B, OPEN, SECRET, setup, STAFF_ONLY, STAFF_ROLE, T0 } from './media-fixtures';

const INSTANCE = 'i-1500000000000000001-gc-100000000000000001-200000000000000002';
const OPEN_INSTANCE = 'i-1500000000000000002-gc-100000000000000001-200000000000000001';

async function world() {
  const s = setup();
  const p = s.platform;
  p.codes.set('code-ana', 'at-ana');
  p.tokens.set('at-ana', { id: ANA, username: 'ana' });
  p.tokens.set('at-bea', { id: BEA, username: 'bea', globalName: 'Bea G' });
  p.tokens.set('at-cal', { id: CAL, username: 'cal' });
  p.members.set(`${GUILD_A}:${ANA}`, { roleIds: [], displayName: 'Ana' });
  p.members.set(`${GUILD_A}:${BEA}`, { roleIds: [STAFF_ROLE], displayName: '' });
  p.members.set(`${GUILD_B}:${CAL}`, { roleIds: [], displayName: 'Cal' });
  p.instances.set(INSTANCE, { instanceId: INSTANCE, guildId: GUILD_A, channelId: STAFF_ONLY, userIds: [ANA, BEA, CAL] });
  p.instances.set(OPEN_INSTANCE, { instanceId: OPEN_INSTANCE, guildId: GUILD_A, channelId: OPEN, userIds: [ANA, BEA] });
  s.library.entries.push(entry('0_alpha001', CAT_A), entry('0_bravo001', CAT_B), entry('0_staffrec', CAT_A, { rootEntryId: '0_stafftpl' }));
  await s.meeting('m_staffstaffstaffs', GUILD_A, STAFF_ONLY, '0_stafftpl');
  return s;
}

async function refusal(work: Promise<unknown>): Promise<{ id: string; status: number }> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ActivityAuthError);
  const { id, status } = err as ActivityAuthError;
  return { id, status };
}

describe('the Activity token exchange', () => {
  it('exchanges a code once, and refuses it after with a typed error that names no token', async () => {
    const { service } = await world();
    expect(await service.activity.exchangeCode('code-ana')).toEqual({ accessToken: 'at-ana' });
    const err = await service.activity.exchangeCode('code-ana').then(() => undefined, (e: unknown) => e as ActivityAuthError);
    expect(err).toMatchObject({ name: 'ActivityAuthError', id: 'activity.code-refused', status: 401 });
    expect(err!.message).not.toContain('code-ana');
    expect(await refusal(service.activity.exchangeCode(''))).toEqual({ id: 'activity.bad-code', status: 400 });
    expect(await refusal(service.activity.exchangeCode('a b'))).toEqual({ id: 'activity.bad-code', status: 400 });
  });

  it('is disabled, and says so, when the bot has no client secret', async () => {
    const { service } = setup({ platform: false });
    expect(service.activityEnabled).toBe(false);
    expect(await refusal(service.activity.exchangeCode('code'))).toEqual({ id: 'activity.disabled', status: 404 });
    expect(setup().service.activityEnabled).toBe(true);
  });
});

describe('opening a session', () => {
  it('opens one for a member in the instance who can see its channel, named as in the server', async () => {
    const { service } = await world();
    const opened = await service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE });
    expect(opened.session).toEqual({ userId: BEA, displayName: 'Bea G', guildId: GUILD_A, channelId: STAFF_ONLY, instanceId: INSTANCE, expiresAt: T0 + 3_600_000 });
    expect(opened.launchedEntryId).toBeUndefined();
    expect(service.activity.verifySession(opened.token)).toEqual(opened.session);
  });

  it('refuses, each with its own id and status, and mints nothing', async () => {
    const s = await world();
    s.platform.instances.set('i-dm', { instanceId: 'i-dm', userIds: [ANA] });
    s.platform.instances.set('i-foreign', { instanceId: 'i-foreign', guildId: '100000000000000077', channelId: '200000000000000077', userIds: [ANA] });
    s.platform.instances.set('i-nochannel', { instanceId: 'i-nochannel', guildId: GUILD_A, userIds: [ANA] });
    s.platform.instances.set('i-other', { instanceId: 'i-other', guildId: GUILD_B, channelId: CHANNEL_B, userIds: [ANA] });
    const open = (accessToken: string, instanceId: string) => refusal(s.service.activity.openSession({ accessToken, instanceId }));
    expect(await open('at-nobody', INSTANCE)).toEqual({ id: 'activity.token-refused', status: 401 });
    expect(await open('at-ana', 'i-unknown')).toEqual({ id: 'activity.unknown-instance', status: 404 });
    expect(await open('at-cal', OPEN_INSTANCE)).toEqual({ id: 'activity.not-in-instance', status: 403 });
    expect(await open('at-ana', 'i-dm')).toEqual({ id: 'activity.not-in-server', status: 403 });
    expect(await open('at-ana', 'i-foreign')).toEqual({ id: 'activity.unknown-server', status: 403 });
    expect(await open('at-ana', 'i-nochannel')).toEqual({ id: 'activity.unknown-server', status: 403 });
    // Ana is in the instance, but a member of server A only: an instance in server B gets her nothing
    expect(await open('at-ana', 'i-other')).toEqual({ id: 'activity.not-member', status: 403 });
    // Cal (server B) in an instance of server A
    expect(await open('at-cal', INSTANCE)).toEqual({ id: 'activity.not-member', status: 403 });
    // Ana is a member of A but cannot see the staff-only channel the instance runs in
    expect(await open('at-ana', INSTANCE)).toEqual({ id: 'activity.channel-hidden', status: 403 });
    expect(await open('', INSTANCE)).toEqual({ id: 'activity.bad-token', status: 400 });
    expect(await open('at-ana', 'x'.repeat(129))).toEqual({ id: 'activity.bad-instance', status: 400 });
    expect(await open('at-ana', '../etc')).toEqual({ id: 'activity.bad-instance', status: 400 });
    expect(s.log.text()).not.toContain('activity session opened');
  });

  it('does not ask Discord about members of a server the bot does not serve', async () => {
    const s = await world();
    s.platform.instances.set('i-foreign', { instanceId: 'i-foreign', guildId: '100000000000000077', channelId: '200000000000000077', userIds: [ANA] });
    await refusal(s.service.activity.openSession({ accessToken: 'at-ana', instanceId: 'i-foreign' }));
    expect(s.platform.memberCalls).toBe(0);
  });

  it('lets upstream failures through as they are, and bounds a hung answer', async () => {
    const s = await world();
    s.platform.failing = Object.assign(new Error('discord 503'), { name: 'DiscordUnavailable' });
    await expect(s.service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE })).rejects.toThrow('discord 503');
    s.platform.failing = undefined;
    s.platform.userOf = () => new Promise(() => undefined);
    await expect(s.service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE })).rejects.toMatchObject({ name: 'UpstreamTimeoutError', upstream: 'discord' });
  });

  it('hands the launcher the entry they asked to watch here within 5 minutes, once', async () => {
    const s = await world();
    const bea = { id: BEA, displayName: 'Bea', roleIds: [STAFF_ROLE], permissions: 0n };
    await s.service.rememberLaunch(bea, GUILD_A, STAFF_ONLY, '0_alpha001');
    await s.service.rememberLaunch(bea, GUILD_A, STAFF_ONLY, '0_staffrec'); // the newest wins
    await s.service.rememberLaunch(bea, GUILD_A, OPEN, '0_bravo001'); // another channel: not this instance
    const first = await s.service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE });
    expect(first.launchedEntryId).toBe('0_staffrec');
    expect((await s.service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE })).launchedEntryId).toBeUndefined();
    expect((await s.service.activity.openSession({ accessToken: 'at-bea', instanceId: OPEN_INSTANCE })).launchedEntryId).toBe('0_bravo001');
  });

  it('ignores a launch intent older than 5 minutes, and another member’s', async () => {
    const s = await world();
    await s.service.rememberLaunch({ id: BEA, displayName: 'Bea', roleIds: [], permissions: 0n }, GUILD_A, STAFF_ONLY, '0_alpha001');
    await s.service.rememberLaunch({ id: ANA, displayName: 'Ana', roleIds: [], permissions: 0n }, GUILD_A, OPEN, '0_alpha001');
    s.clock.t = T0 + 5 * 60_000 + 1;
    expect((await s.service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE })).launchedEntryId).toBeUndefined();
    expect((await s.service.activity.openSession({ accessToken: 'at-bea', instanceId: OPEN_INSTANCE })).launchedEntryId).toBeUndefined();
  });

  it('refuses a launch intent that is not a server channel or not an entry id, writing nothing', async () => {
    const s = await world();
    const bea = { id: BEA, displayName: 'Bea', roleIds: [], permissions: 0n };
    await expect(s.service.rememberLaunch(bea, GUILD_A, STAFF_ONLY, "0_x'; DROP TABLE")).rejects.toThrow(expect.objectContaining({ id: 'media.unknown' }));
    await expect(s.service.rememberLaunch(bea, '', STAFF_ONLY, '0_alpha001')).rejects.toThrow(expect.objectContaining({ id: 'media.not-here' }));
    expect(s.db.prepare('SELECT count(*) FROM activity_launches').pluck().get()).toBe(0);
  });
});

describe('verifying a session', () => {
  it('refuses forged, expired, tampered and malformed tokens', async () => {
    const s = await world();
    const { token } = await s.service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE });
    const [h, p, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const reencode = (c: Record<string, unknown>) => `${h}.${Buffer.from(JSON.stringify(c)).toString('base64url')}.${sig}`;
    const forged = signSessionToken({ userId: BEA, displayName: 'Bea', guildId: GUILD_A, channelId: STAFF_ONLY, instanceId: INSTANCE }, { key: sessionTokenKey('another-links-secret-of-32-characters!!'), now: T0 }).token;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    for (const bad of [forged, none, reencode({ ...claims, sub: ANA }), reencode({ ...claims, exp: (claims.exp as number) + 3600 }), `${token}A`, token.replace(/.$/, 'A'), '', 'x', 'a.b.c', `${h}.${p}`]) {
      expect(s.service.activity.verifySession(bad)).toBeUndefined();
    }
    expect(s.service.activity.verifySession(token)).toBeDefined();
    s.clock.t = T0 + 3_600_000 - 1;
    expect(s.service.activity.verifySession(token)).toBeDefined();
    s.clock.t = T0 + 3_600_000;
    expect(s.service.activity.verifySession(token)).toBeUndefined();
  });

  it('is a standard HS256 JWT under its own key (jose agrees), not a watch or join token', async () => {
    const s = await world();
    const { token } = await s.service.activity.openSession({ accessToken: 'at-bea', instanceId: INSTANCE });
    const { payload } = await jwtVerify(token, sessionTokenKey(SECRET), { algorithms: ['HS256'], audience: 'kaltura-discord/activity', issuer: 'kaltura-discord', currentDate: new Date(T0) });
    expect(payload.sub).toBe(BEA);
    expect(token.length).toBeLessThan(1024);
  });
});

describe('the library inside the Activity', () => {
  async function opened(accessToken = 'at-bea', instanceId = INSTANCE) {
    const s = await world();
    const { session } = await s.service.activity.openSession({ accessToken, instanceId });
    return { ...s, session };
  }

  it("searches and plays only the session server's entries; another server's entry gets no KS", async () => {
    const s = await opened();
    expect((await s.service.activity.search(s.session, '')).entries.map((e) => e.id).sort()).toEqual(['0_alpha001', '0_staffrec']);
    const played = await s.service.activity.playback(s.session, '0_alpha001');
    expect(played.entry.id).toBe('0_alpha001');
    expect(s.library.playbacks).toEqual([{ entryId: '0_alpha001', options: { userId: `discord_${BEA}`, ttlSeconds: 120 + 900 } }]);
    await expect(s.service.activity.playback(s.session, '0_bravo001')).rejects.toMatchObject({ id: 'media.unknown' });
    await expect(s.service.activity.playback(s.session, 'nonsense')).rejects.toMatchObject({ id: 'media.unknown' });
    expect(s.library.playbacks).toHaveLength(1);
  });

  it('keeps hidden recordings from a member who cannot see their meeting channel', async () => {
    const s = await opened('at-ana', OPEN_INSTANCE);
    expect((await s.service.activity.search(s.session, '')).entries.map((e) => e.id)).toEqual(['0_alpha001']);
    await expect(s.service.activity.playback(s.session, '0_staffrec')).rejects.toMatchObject({ id: 'media.unknown' });
    expect(s.library.playbacks).toHaveLength(0);
  });

  it('re-reads the roles within a minute: a member who lost the channel or left the server is refused', async () => {
    const s = await opened();
    await s.service.activity.search(s.session, '');
    s.platform.members.set(`${GUILD_A}:${BEA}`, { roleIds: [], displayName: 'Bea' });
    await expect(s.service.activity.search(s.session, '')).resolves.toBeDefined(); // cached for a minute
    s.clock.t = T0 + 60_000;
    expect(await refusal(s.service.activity.playback(s.session, '0_alpha001'))).toEqual({ id: 'activity.channel-hidden', status: 403 });
    s.platform.members.delete(`${GUILD_A}:${BEA}`);
    s.clock.t = T0 + 120_000;
    expect(await refusal(s.service.activity.search(s.session, ''))).toEqual({ id: 'activity.not-member', status: 403 });
    expect(s.library.playbacks).toHaveLength(0);
  });

  it('lists live meetings the member can see and gets a join link with their roles, no assumed permissions', async () => {
    const s = await opened('at-ana', OPEN_INSTANCE);
    await s.meeting('m_liveopenliveopen', GUILD_A, OPEN, '0_tpl00001', 'live');
    await s.meeting('m_livestafflivesta', GUILD_A, STAFF_ONLY, '0_tpl00002', 'live');
    expect(await s.service.activity.liveMeetings(s.session)).toEqual([{ id: 'm_liveopenliveopen', title: 'Meeting m_liveopenliveopen', kind: 'meeting', startedAt: T0 - 60_000 }]);
    expect(await s.service.activity.joinLink(s.session, 'm_liveopenliveopen')).toEqual({ url: 'https://bot.example/j/token-for-m_liveopenliveopen' });
    expect(s.joinLinks[0]!.actor).toEqual({ id: ANA, displayName: 'Ana', roleIds: [], permissions: 0n });
  });
});
