import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinTokenKey, signJoinToken } from '../../../src/core/meetings/join-tokens';
import { JoinLinkError, type RedeemedJoin } from '../../../src/core/meetings/meeting-service';
import { createHttpApp } from '../../../src/http/create-http-app';
import { joinRoutes } from '../../../src/http/join-routes';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/start-http-server';
import { captureLogger } from '../../helpers/capture-logger';
import { GOOD } from '../../helpers/config-fixtures';

// On a real socket /j/ is answered before h3 (the hot path); in-process app.fetch goes through h3.
// Both must give members the same answers, and a damaged token must never reach the service.
const key = joinTokenKey(GOOD.linkSecret);
const token = async (tokenId: string) =>
  (await signJoinToken({ meetingId: 'm_abcdefghijklmnop', guildId: '111111111111111111', userId: '222222222222222222', role: 'attendee', tokenId }, { key, now: Date.now(), ttlMs: 60_000 })).token;

describe('join links over a socket and in process', () => {
  const log = captureLogger();
  const redeemed: string[] = [];
  const tokens: Record<string, string> = {};
  let server: RunningHttpServer;
  let app: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    for (const k of ['ok', 'used', 'broken']) tokens[k] = await token(k);
    const redeem = async (t: string): Promise<RedeemedJoin> => {
      redeemed.push(t);
      if (t === tokens.used) throw new JoinLinkError('used');
      if (t === tokens.broken) throw new Error('the store is gone');
      return { redirectUrl: 'https://kaltura.example/join?ks=secret', userId: '222222222222222222', role: 'attendee' } as unknown as RedeemedJoin;
    };
    app = createHttpApp({ logger: log.logger, routes: [joinRoutes({ redeem, logger: log.logger, linkTtlMs: 300_000 })] });
    server = await startHttpServer(app, '127.0.0.1', 0);
  });
  afterAll(() => server.close());

  const both = async (path: string, init: RequestInit = {}) => {
    const socket = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
    const inProcess = await app.fetch(new Request(`http://x${path}`, init));
    const strip = (r: Response) => ({ status: r.status, location: r.headers.get('location'), type: r.headers.get('content-type'), cache: r.headers.get('cache-control'), referrer: r.headers.get('referrer-policy'), csp: r.headers.get('content-security-policy') });
    return { socket, inProcess, same: () => expect(strip(socket)).toEqual(strip(inProcess)) };
  };

  it('redirects a good link into the meeting, the same both ways', async () => {
    const { socket, same } = await both(`/j/${tokens.ok}`);
    same();
    expect(socket.status).toBe(302);
    expect(socket.headers.get('location')).toBe('https://kaltura.example/join?ks=secret');
  });

  it('refuses a damaged link with the "incomplete" page without asking the service', async () => {
    redeemed.length = 0;
    for (const bad of ['garbage-token-1', `${tokens.ok!.slice(0, -3)}`, `${tokens.ok}xyz`, 'a.b.c', `${tokens.ok}?utm_source=x`.replace(tokens.ok!, 'nope')]) {
      const { socket, inProcess, same } = await both(`/j/${bad}`);
      same();
      expect(socket.status).toBe(400);
      const [a, b] = [await socket.text(), await inProcess.text()];
      expect(a).toContain('This join link is incomplete');
      expect(a).toBe(b);
    }
    expect(redeemed).toEqual([]);
  });

  it('answers a refusal by the service with its page, and an unexpected failure with a 503 and a reference', async () => {
    const used = await both(`/j/${tokens.used}`);
    used.same();
    expect(used.socket.status).toBe(410);
    expect(await used.socket.text()).toContain('already used');
    const broken = await fetch(`${server.url}/j/${tokens.broken}`);
    expect(broken.status).toBe(503);
    expect(broken.headers.get('retry-after')).toBe('60');
    expect(await broken.text()).toMatch(/reference: [0-9a-f]{8}/);
    expect(log.text()).not.toContain(tokens.broken);
  });

  it('shows link previews and HEAD the preview page and keeps the link unused', async () => {
    redeemed.length = 0;
    const bot = await both(`/j/${tokens.ok}`, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; Discordbot/2.0)' } });
    bot.same();
    expect(bot.socket.status).toBe(200);
    expect(await bot.socket.text()).toContain('Personal meeting link');
    const head = await both(`/j/${tokens.ok}`, { method: 'HEAD' });
    head.same();
    expect(head.socket.status).toBe(200);
    expect(redeemed).toEqual([]);
  });

  it('leaves targets not in normal form to the server check, and deeper paths to h3', async () => {
    // fetch() would normalise these targets itself; send them as they are.
    const raw = (target: string) => new Promise<number>((resolve, reject) => http.get({ host: '127.0.0.1', port: server.port, path: target }, (res) => resolve(res.statusCode!)).on('error', reject));
    for (const target of ['/j/%2e%2e', '/j/..%2fmetrics', '/j/..', '/j/.']) expect(await raw(target)).toBe(400);
    const deeper = await both('/j/a/b');
    deeper.same();
    expect(deeper.socket.status).toBe(400);
    expect((await fetch(`${server.url}/j/x`, { method: 'POST' })).status).toBe(404);
  });
});
