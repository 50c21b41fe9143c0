import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, members, startHarness, type Harness } from './meeting-harness';

/** The server's own Kaltura category (created by the bot on first use), as the fake Kaltura holds it. */
function categoryOf(h: Harness, guildId: string): number {
  const found = [...h.kaltura.store.categories.values()].find((c: { fullName: string; status: number }) => c.status === 2 && c.fullName.endsWith(`>${guildId}`));
  if (!found) throw new Error(`no category for ${guildId} in the fake Kaltura`);
  return (found as { id: number }).id;
}

/** First frame of a given type, or the close, whichever comes first. */
function firstFrameOrClose(ws: WebSocket, type: string): Promise<{ frame?: Record<string, unknown>; close?: number }> {
  return new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame.t === type) resolve({ frame });
    });
    ws.on('close', (code) => resolve({ close: code }));
    ws.on('error', reject);
  });
}

/**
 * The Activity's HTTP API and sync socket on the real app (as `serve` builds it), with the fake
 * Discord answering OAuth and activity instances and the fake Kaltura serving the media. What a
 * browser inside Discord would do, minus the browser (the Chromium e2e is tests/e2e/video-*).
 */
describe('Watch together over HTTP and WebSocket: the real app, fake Discord, fake Kaltura', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.terminate();
    await h?.close();
    h = undefined;
  });

  it('code → access token → session → library → playback with proxy-relative URLs that still play; sessions guard every call; the socket joins the instance’s room', async () => {
    h = await startHarness(tempDir(), { media: true });
    const { discord, kaltura, publicUrl } = h;
    const api = (method: string, path: string, body?: unknown, session?: string) =>
      fetch(`${publicUrl}/activity/api/${path}`, {
        method,
        headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(session && { authorization: `Bearer ${session}` }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });

    // A member searches (which creates the server's category), a video appears, they click Watch together.
    const search = () => discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'search', options: { query: 'waves' } });
    await search().reply();
    const mine = kaltura.addEntry({ name: 'Waves <b>week 1</b>', categoryIds: [categoryOf(h, IDS.guild)], video: true });
    const elsewhere = kaltura.addEntry({ name: 'Waves from elsewhere', video: true });
    const found = search();
    await found.reply();
    const together = discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, fromReply: found, customId: `kaltura:together:${mine.id}` });
    expect((await together.acknowledged).type).toBe(12);
    const instanceId = discord.launchedActivity(together)!;
    expect(instanceId).toBeDefined();
    const signIn = async (userId: string) => {
      const code = discord.mintAuthorizationCode(userId);
      const token = await api('POST', 'token', { code });
      expect(token.status).toBe(200);
      return { code, accessToken: ((await token.json()) as { access_token: string }).access_token };
    };
    // a replayed code is refused, and Discord revokes the token it gave (RFC 6749 §4.1.2): the session is refused too
    const replayed = await signIn(IDS.student);
    const again = await api('POST', 'token', { code: replayed.code });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: 'activity.code-refused' });
    expect((await api('POST', 'session', { access_token: replayed.accessToken, instance_id: instanceId })).status).toBe(401);

    const { code, accessToken } = await signIn(IDS.student);
    const unknown = await api('POST', 'session', { access_token: accessToken, instance_id: 'i-1-gc-1-2' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'activity.unknown-instance' });
    const opened = await api('POST', 'session', { access_token: accessToken, instance_id: instanceId });
    expect(opened.status).toBe(200);
    const s = (await opened.json()) as { session: string; user: { id: string }; guildId: string; instanceId: string; launchedEntryId?: string };
    expect(s).toMatchObject({ user: { id: IDS.student }, guildId: IDS.guild, instanceId, launchedEntryId: mine.id });

    // someone signed in but not in the instance is refused
    const teacherToken = (await signIn(IDS.teacher)).accessToken;
    const outsider = await api('POST', 'session', { access_token: teacherToken, instance_id: instanceId });
    expect(outsider.status).toBe(403);
    expect(await outsider.json()).toMatchObject({ error: 'activity.not-in-instance' });

    const library = (await (await api('GET', 'library?q=waves', undefined, s.session)).json()) as { entries: { id: string; name: string; thumbnailUrl: string }[]; totalCount: number };
    expect(library.entries.map((e) => [e.id, e.name])).toEqual([[mine.id, 'Waves <b>week 1</b>']]);
    expect(library.entries[0]!.thumbnailUrl).toMatch(/^\/kaltura-cdn\/p\/\d+\/thumbnail\//);

    const playback = await api('POST', 'playback', { entryId: mine.id }, s.session);
    expect(playback.status).toBe(200);
    const played = (await playback.json()) as { sources: { src: string; type: string }[]; poster: string };
    expect(played.sources[0]!.src).toMatch(/^\/kaltura-cdn\/p\/\d+\/sp\/\d+\/serveFlavor\//);
    expect(played.sources[0]!.type).toBe('video/mp4');
    // what Discord's proxy does with the /kaltura-cdn mapping: the same path on the CDN host plays
    const video = await fetch(`${kaltura.url}${played.sources[0]!.src.slice('/kaltura-cdn'.length)}`, { headers: { range: 'bytes=0-99' } });
    expect(video.status).toBe(206);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect((await fetch(`${kaltura.url}${played.poster.slice('/kaltura-cdn'.length)}`)).headers.get('content-type')).toBe('image/jpeg');

    const foreign = await api('POST', 'playback', { entryId: elsewhere.id }, s.session);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: 'media.unknown' });
    for (const session of [undefined, 'forged.session.token', `${s.session}x`]) expect((await api('GET', 'library', undefined, session)).status).toBe(401);

    // the sync socket: a forged session is refused, the real one joins the instance's room
    const wsUrl = `${publicUrl.replace(/^http/, 'ws')}/activity/ws`;
    const forged = new WebSocket(wsUrl);
    sockets.push(forged);
    await new Promise((r) => forged.once('open', r));
    const refused = firstFrameOrClose(forged, 'welcome');
    forged.send(JSON.stringify({ t: 'hello', session: 'forged.session.token' }));
    expect((await refused).close).toBe(4003);
    const ws = new WebSocket(wsUrl);
    sockets.push(ws);
    await new Promise((r) => ws.once('open', r));
    const welcomed = firstFrameOrClose(ws, 'welcome');
    ws.send(JSON.stringify({ t: 'hello', session: s.session }));
    expect((await welcomed).frame).toMatchObject({ you: IDS.student, hostId: IDS.student });

    // stopping the app ends the open socket (1001) rather than waiting for the member to leave
    const ended = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    await h.app.stop();
    expect(await ended).toBe(1001);

    // nothing secret reached the log
    const log = h.logs.text();
    for (const secret of [accessToken, teacherToken, s.session, code]) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/\/ks\/[A-Za-z0-9]/);
  });
});
