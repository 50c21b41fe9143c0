import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from '../../../src/activity-client/api-client';
import { openSession, StartError, type SdkLike } from '../../../src/activity-client/open-session';

const CLIENT_ID = '1100000000000000001';
const BASE = 'https://1100000000000000001.discordsays.com/';

interface Seen { url: string; method: string; auth?: string; body?: unknown }

/** A fetch standing in for our server: answers per path, records what the client sent. */
function fakeServer(routes: Record<string, (body: unknown, auth?: string) => [number, unknown]>) {
  const seen: Seen[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization;
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    seen.push({ url: url.href, method: init?.method ?? 'GET', ...(auth && { auth }), ...(body !== undefined && { body }) });
    const route = routes[`${init?.method ?? 'GET'} ${url.pathname}`];
    if (!route) return new Response(JSON.stringify({ error: 'not-found', message: 'No such API call.' }), { status: 404 });
    const [status, json] = route(body, auth);
    return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch: fakeFetch, seen };
}

function fakeSdk(over: Partial<{ ready: () => Promise<void>; authorize: SdkLike['commands']['authorize'] }> = {}) {
  const calls: string[] = [];
  const sdk: SdkLike = {
    instanceId: 'i-1500000000000000001-gc-1200000000000000002-1300000000000000003',
    ready: over.ready ?? (async () => void calls.push('ready')),
    commands: {
      authorize: over.authorize ?? (async (args) => (calls.push(`authorize ${args.scope.join(',')} ${args.prompt}`), { code: 'code-1' })),
      authenticate: async (args) => (calls.push(`authenticate ${args.access_token}`), {}),
    },
  };
  return { sdk, calls };
}

const SESSION = { session: 'sess-1', expiresAt: 1, user: { id: 'u1', name: 'alice' }, guildId: 'g1', instanceId: 'i-1' };
const happyRoutes = {
  'POST /api/token': (b: unknown) => [200, { access_token: `at-for-${(b as { code: string }).code}` }] as [number, unknown],
  'POST /api/session': () => [200, SESSION] as [number, unknown],
};

describe('openSession', () => {
  it('ready → authorize(identify, prompt none) → api/token → authenticate → api/session, with RELATIVE urls under the page', async () => {
    const server = fakeServer(happyRoutes);
    const { sdk, calls } = fakeSdk();
    const api = createApi({ base: BASE, fetch: server.fetch });
    const info = await openSession({ sdk, api, clientId: CLIENT_ID });
    expect(info.user.name).toBe('alice');
    expect(calls).toEqual(['ready', 'authorize identify none', 'authenticate at-for-code-1']);
    expect(server.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', `${BASE}api/token`, { code: 'code-1' }],
      ['POST', `${BASE}api/session`, { access_token: 'at-for-code-1', instance_id: sdk.instanceId }],
    ]);
    expect(api.getSession()).toBe('sess-1');
  });

  it('served at /activity/ directly, the same calls go to /activity/api/…', async () => {
    const server = fakeServer({ 'POST /activity/api/token': happyRoutes['POST /api/token'], 'POST /activity/api/session': happyRoutes['POST /api/session'] });
    await openSession({ sdk: fakeSdk().sdk, api: createApi({ base: 'http://127.0.0.1:8787/activity/?frame_id=x', fetch: server.fetch }), clientId: CLIENT_ID });
    expect(server.seen.map((s) => new URL(s.url).pathname)).toEqual(['/activity/api/token', '/activity/api/session']);
  });

  it('outside Discord ready() never resolves: a bounded wait, then words that say where it works', async () => {
    const { sdk } = fakeSdk({ ready: () => new Promise<void>(() => undefined) });
    const err = await openSession({ sdk, api: createApi({ base: BASE, fetch: fakeServer({}).fetch }), clientId: CLIENT_ID, readyTimeoutMs: 20 }).catch((e) => e);
    expect(err).toBeInstanceOf(StartError);
    expect(err).toMatchObject({ reason: 'not-in-discord', message: expect.stringMatching(/only works inside Discord/) });
  });

  it('a member who declines authorization is told what that means, and nothing is sent to the server', async () => {
    const server = fakeServer(happyRoutes);
    const { sdk } = fakeSdk({ authorize: async () => Promise.reject(new Error('user cancelled')) });
    const err = await openSession({ sdk, api: createApi({ base: BASE, fetch: server.fetch }), clientId: CLIENT_ID }).catch((e) => e);
    expect(err).toMatchObject({ reason: 'refused', message: expect.stringMatching(/did not allow/) });
    expect(server.seen).toEqual([]);
  });

  it('the server’s refusal (403: cannot see the channel) is shown as the server worded it', async () => {
    const server = fakeServer({ ...happyRoutes, 'POST /api/session': () => [403, { error: 'activity.channel-hidden', message: 'You cannot see this channel.' }] });
    const err = await openSession({ sdk: fakeSdk().sdk, api: createApi({ base: BASE, fetch: server.fetch }), clientId: CLIENT_ID }).catch((e) => e);
    expect(err).toMatchObject({ reason: 'forbidden', message: 'You cannot see this channel.' });
  });
});

describe('api client', () => {
  it('sends the session as a Bearer token on library/playback calls, never on sign-in calls', async () => {
    const server = fakeServer({ ...happyRoutes, 'GET /api/library': () => [200, { entries: [], totalCount: 0 }] });
    const api = createApi({ base: BASE, fetch: server.fetch });
    api.setSession('sess-9');
    await api.token('c');
    await api.library('cats & dogs');
    expect(server.seen[0]!.auth).toBeUndefined();
    expect(server.seen[1]).toMatchObject({ auth: 'Bearer sess-9', url: `${BASE}api/library?q=cats%20%26%20dogs&limit=24` });
  });

  it('an expired session (401) is renewed once and the call retried; a second 401 is the member’s error', async () => {
    let valid = 'new';
    const server = fakeServer({ 'POST /api/playback': (_b, auth) => (auth === `Bearer ${valid}` ? [200, { entryId: '1_a' }] : [401, { error: 'session-invalid', message: 'expired' }]) });
    let renewals = 0;
    const api = createApi({ base: BASE, fetch: server.fetch, renewSession: async () => (renewals++, api.setSession('new'), true) });
    api.setSession('old');
    await expect(api.playback('1_a')).resolves.toMatchObject({ entryId: '1_a' });
    expect(renewals).toBe(1);
    valid = 'never';
    await expect(api.playback('1_a')).rejects.toMatchObject({ status: 401 });
    expect(renewals).toBe(2);
  });

  it('a server that cannot be reached, or answers with something that is not JSON, is an ApiError with words', async () => {
    const down = createApi({ base: BASE, fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch });
    await expect(down.meetings()).rejects.toMatchObject({ status: 0, message: expect.stringMatching(/could not be reached/) });
    const html = createApi({ base: BASE, fetch: (async () => new Response('<html>bad gateway</html>', { status: 502 })) as typeof fetch });
    const err = await html.meetings().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 502, code: 'http-502' });
  });
});
