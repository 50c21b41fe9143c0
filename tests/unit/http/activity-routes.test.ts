import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/http/create-http-app';
import { activityRoutes, type ActivityFile } from '../../../src/http/activity-routes';
import type { ActivityApi, ActivityApiSession } from '../../../src/http/activity-api-handlers';
import { activityMediaMappings } from '../../../src/http/activity-url-mappings';
import type { MediaEntry } from '../../../src/core/ports/media-library';
import { UserError } from '../../../src/core/user-error';
import { captureLogger } from '../../helpers/capture-logger';

class ActivityAuthError extends Error {
  override readonly name = 'ActivityAuthError';
  constructor(readonly id: string, readonly status: 401 | 403 | 404, message: string) {
    super(message);
  }
}

const GUILD_A = '100000000000000001';
const GUILD_B = '100000000000000002';
const entry = (id: string, host = 'cdnapisec.kaltura.com'): MediaEntry => ({
  id, name: `Video ${id}`, durationSeconds: 61, createdAt: new Date(0), ready: true, ownerId: 'alice',
  thumbnailUrl: `https://${host}/p/1/thumbnail/entry_id/${id}/width/320`, watchUrl: `https://kmc.example/${id}`,
});
/** Two servers' libraries: each session sees its own guild's only (the rule the core enforces). */
const LIBRARY: Record<string, MediaEntry[]> = { [GUILD_A]: [entry('1_aaa'), entry('1_bad', 'evil.example.com')], [GUILD_B]: [entry('1_bbb')] };
const SESSION_A = 'sess.A.token';
const SESSION_EXPIRED = 'sess.expired.token';

function fakeApi(): ActivityApi & { failNext?: Error } {
  const sessions: Record<string, ActivityApiSession> = {
    [SESSION_A]: { userId: '200000000000000001', displayName: 'Alice', guildId: GUILD_A, channelId: '300000000000000001', instanceId: 'i-1-gc-1', expiresAt: Date.now() + 3_600_000 },
    [SESSION_EXPIRED]: { userId: '200000000000000001', displayName: 'Alice', guildId: GUILD_A, instanceId: 'i-1-gc-1', expiresAt: Date.now() - 1 },
  };
  const api: ActivityApi & { failNext?: Error } = {
    async exchangeCode(code) {
      if (api.failNext) throw api.failNext;
      if (code !== 'good-code') throw new ActivityAuthError('activity.bad-code', 401, 'Discord refused the sign-in. Reopen the Activity.');
      return { accessToken: 'ACCESS-TOKEN-SECRET' };
    },
    async openSession({ accessToken, instanceId }) {
      if (accessToken !== 'ACCESS-TOKEN-SECRET') throw new ActivityAuthError('activity.bad-token', 401, 'Discord did not accept your sign-in.');
      if (instanceId === 'i-unknown') throw new ActivityAuthError('activity.unknown-instance', 404, 'This Activity is no longer running.');
      if (instanceId === 'i-other') throw new ActivityAuthError('activity.not-in-instance', 403, 'You are not in this Activity.');
      return { token: SESSION_A, session: sessions[SESSION_A]!, launchedEntryId: '1_aaa' };
    },
    verifySession: (token) => {
      const s = sessions[token];
      return s && s.expiresAt > Date.now() ? s : undefined;
    },
    async search(session, query, limit) {
      const found = (LIBRARY[session.guildId] ?? []).filter((e) => e.name.includes(query)).slice(0, limit ?? 10);
      return { entries: found, totalCount: found.length };
    },
    async playback(session, entryId) {
      const e = (LIBRARY[session.guildId] ?? []).find((x) => x.id === entryId);
      if (!e) throw new UserError('media.unknown', 'No such video in this server’s library.');
      if (api.failNext) throw api.failNext;
      return {
        entry: e,
        playback: {
          entryId, posterUrl: e.thumbnailUrl, expiresAt: new Date(Date.UTC(2030, 0, 1)),
          sources: [{ url: `https://cfvod.kaltura.com/p/1/serveFlavor/entryId/${entryId}/ks/KS-SECRET/v.mp4`, mimeType: 'video/mp4' }],
        },
      };
    },
    async liveMeetings() {
      return [{ id: 'm-1', title: 'Standup', kind: 'meeting', startedAt: 1 }];
    },
    async joinLink(_s, meetingId) {
      if (meetingId !== 'm-1') throw new UserError('meeting.unknown', 'No such meeting.');
      return { url: 'https://bot.example/j/JOIN-TOKEN' };
    },
  };
  return api;
}

const files = new Map<string, ActivityFile>([
  ['index.html', { body: Buffer.from('<!doctype html><meta name="kd-client-id" content="1">'), contentType: 'text/html; charset=utf-8', immutable: false }],
  ['assets/main-ABC123.js', { body: Buffer.from('console.log(1)'), contentType: 'text/javascript; charset=utf-8', immutable: true }],
]);

type Limit = { limit: number; windowMs: number };
function setup(options: { files?: ReadonlyMap<string, ActivityFile> | { missing: string }; tokenLimit?: Limit; sessionLimit?: Limit; signInLimit?: Limit } = {}) {
  const log = captureLogger();
  const api = fakeApi();
  const mappings = activityMediaMappings('https://cdnapisec.kaltura.com', [{ prefix: '/kaltura-vod', target: 'cfvod.kaltura.com' }]);
  const limits = { ...(options.tokenLimit && { tokenLimit: options.tokenLimit }), ...(options.sessionLimit && { sessionLimit: options.sessionLimit }), ...(options.signInLimit && { signInLimit: options.signInLimit }) };
  const app = createHttpApp({ logger: log.logger, routes: [activityRoutes({ api, mappings, files: options.files ?? files, logger: log.logger, ...limits })] });
  const call = (method: string, path: string, init: { body?: string; headers?: Record<string, string>; session?: string; ip?: string } = {}) => {
    const request = new Request(`http://bot.example${path}`, {
      method,
      headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...(init.session && { authorization: `Bearer ${init.session}` }), ...init.headers },
      ...(init.body !== undefined && { body: init.body }),
    });
    // what the node adapter sets from the socket's remote address (h3's getRequestIP reads it)
    if (init.ip) Object.defineProperty(request, 'ip', { value: init.ip });
    return app.fetch(request);
  };
  return { call, api, log };
}

describe('/activity: the client files', () => {
  it('serves index.html at /activity/ with a self-only CSP and no-cache, hashed assets immutable, unknown ones 404', async () => {
    const { call } = setup();
    const bare = await call('GET', '/activity?lang=en');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/activity/?lang=en');
    // Inside Discord the browser's URL is the proxy's root whatever path the proxy asks us for, so a
    // redirect would send it to /activity/ under the root mapping (→ /activity/activity/): answer the page.
    const launched = await call('GET', '/activity?frame_id=f&instance_id=i&platform=desktop');
    expect(launched.status).toBe(200);
    expect(await launched.text()).toContain('kd-client-id');
    for (const path of ['/activity/', '/activity/index.html']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('kd-client-id');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const js = await call('GET', '/activity/assets/main-ABC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await call('GET', '/activity/assets/nope.js')).status).toBe(404);
    expect((await call('GET', '/activity/assets/x/main-ABC123.js')).status).toBe(404);
  });

  it('answers 503 (not a crash) when the client was not built', async () => {
    const { call } = setup({ files: { missing: 'run npm run build' } });
    const res = await call('GET', '/activity/');
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('npm');
  });
});

describe('/activity/api: validation, sessions and errors', () => {
  it('POST token exchanges a code for an access token; refusals are 401 with a stable id and never echo the code', async () => {
    const { call } = setup();
    const ok = await call('POST', '/activity/api/token', { body: JSON.stringify({ code: 'good-code' }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ access_token: 'ACCESS-TOKEN-SECRET' });
    const refused = await call('POST', '/activity/api/token', { body: JSON.stringify({ code: 'forged-code-XYZ' }) });
    expect(refused.status).toBe(401);
    const text = await refused.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'activity.bad-code' });
    expect(text).not.toContain('forged-code-XYZ');
  });

  it.each([
    ['oversized body', { body: JSON.stringify({ code: 'x'.repeat(5000) }) }, 413, 'body-too-large'],
    ['bad JSON', { body: '{"code":' }, 400, 'bad-json'],
    ['not an object', { body: '["good-code"]' }, 400, 'bad-body'],
    ['missing code', { body: '{}' }, 400, 'bad-body'],
    ['code of the wrong type', { body: '{"code": 5}' }, 400, 'bad-body'],
    ['code with odd characters', { body: '{"code": "a b<c>"}' }, 400, 'bad-body'],
    ['not JSON at all', { body: 'code=good-code', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'bad-content-type'],
  ] as const)('POST token with %s is refused with a stable id', async (_what, init, status, id) => {
    const { call } = setup();
    const res = await call('POST', '/activity/api/token', init);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: id });
  });

  it('POST token with bytes that are not UTF-8 is a 400, not a crash', async () => {
    const log = captureLogger();
    const app = createHttpApp({ logger: log.logger, routes: [activityRoutes({ api: fakeApi(), mappings: [], files, logger: log.logger })] });
    const body = new Uint8Array([0x7b, 0x22, 0x63, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"code":"\xff\xfe"}
    const res = await app.fetch(new Request('http://bot.example/activity/api/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad-json' });
  });

  it('limits code exchanges per address', async () => {
    const { call } = setup({ tokenLimit: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) expect((await call('POST', '/activity/api/token', { body: '{"code":"good-code"}' })).status).toBe(200);
    const limited = await call('POST', '/activity/api/token', { body: '{"code":"good-code"}' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate-limited' });
  });

  it('a watch party behind Discord\'s proxy (every member arrives from the proxy\'s address) signs in within a minute with the default limits', async () => {
    const { call } = setup();
    const session = JSON.stringify({ access_token: 'ACCESS-TOKEN-SECRET', instance_id: 'i-1-gc-1' });
    for (let member = 1; member <= 40; member++) {
      expect((await call('POST', '/activity/api/token', { body: '{"code":"good-code"}', ip: '162.159.0.1' })).status, `member ${member}`).toBe(200);
      expect((await call('POST', '/activity/api/session', { body: session, ip: '162.159.0.1' })).status, `member ${member}`).toBe(200);
    }
  });

  it('limits session openings per address: each one asks Discord about a client-chosen token, and refused tokens count toward Discord\'s invalid-request ban of the bot\'s IP', async () => {
    const { call, api } = setup({ sessionLimit: { limit: 3, windowMs: 60_000 } });
    let asked = 0;
    const open = api.openSession.bind(api);
    api.openSession = (input) => ((asked += 1), open(input));
    const forged = JSON.stringify({ access_token: 'forged-token', instance_id: 'i-1-gc-1' });
    for (let i = 0; i < 3; i++) expect((await call('POST', '/activity/api/session', { body: forged, ip: '192.0.2.1' })).status).toBe(401);
    const limited = await call('POST', '/activity/api/session', { body: forged, ip: '192.0.2.1' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'rate-limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(asked).toBe(3); // the refused one never reached Discord
    expect((await call('POST', '/activity/api/session', { body: forged, ip: '192.0.2.2' })).status).toBe(401); // another address is not held up
  });

  it('caps sign-ins (code exchanges and session openings together) across all addresses, so many addresses cannot push the bot past Discord\'s invalid-request limit', async () => {
    const { call, api } = setup({ signInLimit: { limit: 4, windowMs: 60_000 } });
    let asked = 0;
    const open = api.openSession.bind(api);
    api.openSession = (input) => ((asked += 1), open(input));
    const forged = JSON.stringify({ access_token: 'forged-token', instance_id: 'i-1-gc-1' });
    expect((await call('POST', '/activity/api/token', { body: '{"code":"good-code"}', ip: '198.51.100.1' })).status).toBe(200);
    for (let i = 2; i <= 4; i++) expect((await call('POST', '/activity/api/session', { body: forged, ip: `198.51.100.${i}` })).status).toBe(401);
    for (const path of ['/activity/api/session', '/activity/api/token']) {
      const limited = await call('POST', path, { body: path.endsWith('token') ? '{"code":"good-code"}' : forged, ip: '198.51.100.99' });
      expect(limited.status, path).toBe(429);
      expect(await limited.json()).toMatchObject({ error: 'rate-limited' });
    }
    expect(asked).toBe(3);
  });

  it('POST session opens a session for the instance; unknown instance 404, not in it 403, bad token 401', async () => {
    const { call } = setup();
    const ok = await call('POST', '/activity/api/session', { body: JSON.stringify({ access_token: 'ACCESS-TOKEN-SECRET', instance_id: 'i-1-gc-1' }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ session: SESSION_A, user: { id: '200000000000000001', name: 'Alice' }, guildId: GUILD_A, channelId: '300000000000000001', instanceId: 'i-1-gc-1', launchedEntryId: '1_aaa' });
    const statusOf = async (body: unknown) => (await call('POST', '/activity/api/session', { body: JSON.stringify(body) })).status;
    expect(await statusOf({ access_token: 'ACCESS-TOKEN-SECRET', instance_id: 'i-unknown' })).toBe(404);
    expect(await statusOf({ access_token: 'ACCESS-TOKEN-SECRET', instance_id: 'i-other' })).toBe(403);
    expect(await statusOf({ access_token: 'stolen', instance_id: 'i-1-gc-1' })).toBe(401);
    expect(await statusOf({ access_token: 'ACCESS-TOKEN-SECRET' })).toBe(400);
    expect(await statusOf({ access_token: 'ACCESS-TOKEN-SECRET', instance_id: '../../x' })).toBe(400);
  });

  it.each([
    ['GET', '/activity/api/library?q=1_aaa'],
    ['POST', '/activity/api/playback'],
    ['GET', '/activity/api/meetings'],
    ['POST', '/activity/api/meetings/m-1/link'],
  ])('%s %s needs a valid session: missing, forged or expired → 401', async (method, path) => {
    const { call } = setup();
    const body = method === 'POST' ? '{"entryId":"1_aaa"}' : undefined;
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer forged.session.value' }, { authorization: `Bearer ${SESSION_EXPIRED}` }, { authorization: SESSION_A }, { authorization: `Basic ${SESSION_A}` }]) {
      const res = await call(method, path, { ...(body !== undefined && { body }), headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'session-invalid' });
    }
    expect((await call(method, path, { ...(body !== undefined && { body }), session: SESSION_A })).status).toBe(200); // the control
  });

  it('GET library lists this server’s videos with proxy-relative thumbnails; an unmapped host is a 502 naming the host, logged once', async () => {
    const { call, log } = setup();
    const res = await call('GET', '/activity/api/library?q=aaa&limit=5', { session: SESSION_A });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ entries: [{ id: '1_aaa', name: 'Video 1_aaa', durationSeconds: 61, ownerId: 'alice', thumbnailUrl: '/kaltura-cdn/p/1/thumbnail/entry_id/1_aaa/width/320' }], totalCount: 1 });
    for (let i = 0; i < 3; i++) {
      const bad = await call('GET', '/activity/api/library?q=bad', { session: SESSION_A });
      expect(bad.status).toBe(502);
      expect(await bad.json()).toMatchObject({ error: 'unmapped-media-host', host: 'evil.example.com' });
    }
    expect(log.lines.filter((l) => l.host === 'evil.example.com')).toHaveLength(1);
    expect((await call('GET', '/activity/api/library?limit=0', { session: SESSION_A })).status).toBe(400);
    expect((await call('GET', '/activity/api/library?limit=51', { session: SESSION_A })).status).toBe(400);
    expect((await call('GET', `/activity/api/library?q=${'x'.repeat(101)}`, { session: SESSION_A })).status).toBe(400);
  });

  it('GET library counts the search text in characters, as the core does: 100 emoji are a valid query, 101 are not', async () => {
    const { call } = setup();
    const emoji = (n: number) => encodeURIComponent('🎬'.repeat(n));
    expect((await call('GET', `/activity/api/library?q=${emoji(100)}`, { session: SESSION_A })).status).toBe(200);
    const long = await call('GET', `/activity/api/library?q=${emoji(101)}`, { session: SESSION_A });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: 'bad-query' });
  });

  it('POST playback answers proxy-relative sources and poster; another server’s entry is 404 media.unknown', async () => {
    const { call } = setup();
    const res = await call('POST', '/activity/api/playback', { session: SESSION_A, body: '{"entryId":"1_aaa"}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      entryId: '1_aaa', name: 'Video 1_aaa', durationSeconds: 61,
      sources: [{ src: '/kaltura-vod/p/1/serveFlavor/entryId/1_aaa/ks/KS-SECRET/v.mp4', type: 'video/mp4' }],
      poster: '/kaltura-cdn/p/1/thumbnail/entry_id/1_aaa/width/320', expiresAt: '2030-01-01T00:00:00.000Z',
    });
    const other = await call('POST', '/activity/api/playback', { session: SESSION_A, body: '{"entryId":"1_bbb"}' });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: 'media.unknown', message: 'No such video in this server’s library.' });
    expect((await call('POST', '/activity/api/playback', { session: SESSION_A, body: '{"entryId":"<x>"}' })).status).toBe(400);
    expect((await call('POST', '/activity/api/playback', { session: SESSION_A, body: `{"entryId":"1_aaa","pad":"${'x'.repeat(5000)}"}` })).status).toBe(413);
  });

  it('meetings and personal join links', async () => {
    const { call } = setup();
    expect(await (await call('GET', '/activity/api/meetings', { session: SESSION_A })).json()).toEqual({ meetings: [{ id: 'm-1', title: 'Standup', kind: 'meeting', startedAt: 1 }] });
    expect(await (await call('POST', '/activity/api/meetings/m-1/link', { session: SESSION_A })).json()).toEqual({ url: 'https://bot.example/j/JOIN-TOKEN' });
    const unknown = await call('POST', '/activity/api/meetings/m-2/link', { session: SESSION_A });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'meeting.unknown' });
  });

  it('an upstream failure is a 503 with a logged reference, never a 500; unknown API paths are JSON 404s', async () => {
    const { call, api, log } = setup();
    api.failNext = new Error('ECONNRESET talking to Kaltura');
    const res = await call('POST', '/activity/api/playback', { session: SESSION_A, body: '{"entryId":"1_aaa"}' });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string; reference: string; message: string };
    expect(body.error).toBe('upstream-unavailable');
    expect(body.message).not.toContain('ECONNRESET');
    expect(log.lines.some((l) => l.reference === body.reference)).toBe(true);
    expect((await call('GET', '/activity/ws')).status).toBe(426);
    const missing = await call('GET', '/activity/api/nothing', { session: SESSION_A });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not-found' });
  });
});
