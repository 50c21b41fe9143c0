import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { KalturaAPIError, KalturaCapabilityError } from '../../../src/kaltura/errors';
import { decodeKsV2 } from '../../../src/kaltura/ks-v2';
import { startFakeKaltura, type AppTokenSeed, type FakeKaltura } from '../../fakes/kaltura/index';
import { catchError, configFor, countCalls, createCapturingLogger, expectNoSecrets, FAST_RETRY } from './helpers';

const logger = createCapturingLogger();
const TOKEN: AppTokenSeed = { id: '0_tok1', token: 'c0ffee0123456789c0ffee0123456789', hashType: 'SHA256' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => expectNoSecrets(logger.lines, ['abcdef0123456789abcdef0123456789', TOKEN.token]));

async function setup(opts: { appToken?: AppTokenSeed; clockMs?: () => number; fakeNow?: () => number; adminKsLifetimeMs?: number; renewBeforeMs?: number } = {}) {
  const fake: FakeKaltura = await startFakeKaltura({ ...(opts.appToken && { appTokens: [opts.appToken] }), ...(opts.fakeNow && { now: opts.fakeNow }) });
  const base = configFor(fake);
  const config = opts.appToken ? { ...base, adminSecret: undefined, appToken: { id: opts.appToken.id, token: opts.appToken.token, hashType: opts.appToken.hashType ?? 'SHA1' } } : base;
  const kaltura: Kaltura = createKaltura({
    config,
    logger,
    retry: FAST_RETRY,
    ...(opts.clockMs && { clock: { now: opts.clockMs } }),
    ...(opts.adminKsLifetimeMs !== undefined && { adminKsLifetimeMs: opts.adminKsLifetimeMs }),
    ...(opts.renewBeforeMs !== undefined && { renewBeforeMs: opts.renewBeforeMs }),
  });
  cleanups.push(() => fake.close(), () => kaltura.close());
  return { fake, kaltura };
}

const distinctKs = (fake: FakeKaltura) => new Set(fake.requests.filter((r) => r.ksString).map((r) => r.ksString));

describe('admin KS (admin secret)', () => {
  it('is generated locally and reused across many calls: one session, no session.start', async () => {
    const { fake, kaltura } = await setup();
    await Promise.all(Array.from({ length: 10 }, () => kaltura.media.search({ query: '' })));
    await kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 10, record: false, ownerDiscordId: '1' });
    expect(countCalls(fake, 'session', 'start')).toBe(0);
    const used = [...distinctKs(fake)];
    expect(used).toHaveLength(1);
    const decoded = decodeKsV2(used[0]!, fake.adminSecret);
    expect(decoded).toMatchObject({ type: 2, userId: 'kaltura-discord', partnerId: fake.partnerId });
    expect(decoded.fields.has('disableentitlement')).toBe(true);
  });

  it('is renewed shortly before it expires (injected clock)', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { fake, kaltura } = await setup({ clockMs: () => now, fakeNow: () => Math.floor(now / 1000), adminKsLifetimeMs: 3_600_000, renewBeforeMs: 300_000 });
    await kaltura.media.search({ query: '' });
    now += 3_600_000 - 300_000 - 1000;
    await kaltura.media.search({ query: '' });
    expect(distinctKs(fake).size).toBe(1);
    now += 2000;
    await kaltura.media.search({ query: '' });
    const all = [...distinctKs(fake)];
    expect(all).toHaveLength(2);
    expect(decodeKsV2(all[1]!, fake.adminSecret).expiresAt).toBe(Math.floor(now / 1000) + 3600);
  });

  it('is replaced and the call repeated once when the server says INVALID_KS (clock skew)', async () => {
    let now = Date.UTC(2026, 0, 1);
    let skewMs = 0;
    const { fake, kaltura } = await setup({ clockMs: () => now, fakeNow: () => Math.floor((now + skewMs) / 1000), adminKsLifetimeMs: 3_600_000, renewBeforeMs: 60_000 });
    await kaltura.media.search({ query: '' });
    now += 58 * 60_000;
    skewMs = 3 * 60_000; // the server is 3 minutes ahead: our cached KS is expired there
    const result = await kaltura.media.search({ query: '' });
    expect(result.via).toBe('list');
    const errors = fake.requests.filter((r) => r.errorCode === 'INVALID_KS');
    expect(errors).toHaveLength(1);
    expect(distinctKs(fake).size).toBe(2);
  });
});

describe('app token mode', () => {
  it('starts one widget session and one admin session for many calls, and stores no secret', async () => {
    const { fake, kaltura } = await setup({ appToken: TOKEN });
    expect(kaltura.mode).toBe('app-token');
    await Promise.all(Array.from({ length: 5 }, () => kaltura.media.search({ query: '' })));
    await kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 10, record: false, ownerDiscordId: '1' });
    expect(countCalls(fake, 'session', 'startWidgetSession')).toBe(1);
    expect(countCalls(fake, 'apptoken', 'startSession')).toBe(1);
    const start = fake.requests.find((r) => r.service === 'apptoken')!;
    expect(start.params).toMatchObject({ id: TOKEN.id, type: 2 });
    expect(start.ks?.privileges).toMatchObject({ widget: '1' });
    const admin = fake.requests.find((r) => r.service === 'media')!.ks!;
    expect(admin.type).toBe(2);
    expect(admin.privileges).toMatchObject({ apptoken: TOKEN.id });
  });

  it('mints each join KS with one appToken.startSession carrying the room privileges', async () => {
    const { fake, kaltura } = await setup({ appToken: TOKEN });
    const s = await kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 10, record: false, ownerDiscordId: '1' });
    const before = fake.requests.length;
    const url = await kaltura.meetings.joinUrl({ eventId: s.eventId, endsAt: s.endsAt, member: { discordId: '42', displayName: 'Max' }, role: 'attendee' });
    expect(fake.requests.slice(before).map((r) => `${r.service}.${r.action}`)).toEqual(['apptoken.startSession']);
    expect((await fetch(url)).status).toBe(200);
    expect(fake.launches[0]).toMatchObject({ userId: 'discord_42', role: 'viewerRole', userContextualRole: '3', eventId: String(s.eventId), firstName: 'Max', type: 0 });
  });

  it('cannot verify webhooks, and says so', async () => {
    const { kaltura } = await setup({ appToken: TOKEN });
    expect(kaltura.capabilities).toEqual({ webhooks: false, localJoinKs: false });
    expect(kaltura.webhooks.available).toBe(false);
    expect(() => kaltura.webhooks.receive({ rawBody: Buffer.from('{}'), headers: {} })).toThrow(/admin secret/);
  });

  it.each([
    ['a fixed ADMIN session type', { sessionType: 2 as const }],
    ['a fixed user id', { sessionUserId: 'shared-user' }],
  ])('refuses to build join links from a token with %s', async (_label, extra) => {
    const { fake, kaltura } = await setup({ appToken: { ...TOKEN, ...extra } });
    const err = await catchError(kaltura.meetings.joinUrl({ eventId: 1, endsAt: new Date(Date.now() + 3_600_000), member: { discordId: '42', displayName: 'Max' }, role: 'attendee' }));
    expect(err).toBeInstanceOf(KalturaCapabilityError);
    expect(fake.launches).toHaveLength(0);
  });

  it('reports a wrong token value as INVALID_APP_TOKEN_HASH', async () => {
    const { fake, kaltura } = await setup({ appToken: TOKEN });
    const wrongToken = { id: TOKEN.id, token: 'ffff0123456789c0ffee0123456789ff', hashType: 'SHA256' as const };
    const wrong = createKaltura({ config: { ...configFor(fake), adminSecret: undefined, appToken: wrongToken }, logger, retry: FAST_RETRY });
    cleanups.push(() => wrong.close());
    const err = await catchError(wrong.media.search({ query: '' }));
    expect(err).toBeInstanceOf(KalturaAPIError);
    expect(err).toMatchObject({ code: 'INVALID_APP_TOKEN_HASH', service: 'appToken', action: 'startSession' });
    await expect(kaltura.media.search({ query: '' })).resolves.toMatchObject({ via: 'list' });
  });
});
