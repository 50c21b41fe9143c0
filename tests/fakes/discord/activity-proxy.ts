import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CLIENT_CSS, CLIENT_SCRIPT, clientPageHtml } from './fake-client-page';
import { answerRpc, type OpenedLink } from './fake-client-rpc';
import { activityCsp } from './proxy-csp';
import { forwardHttp, forwardUpgrade } from './proxy-forward';
import { parseMappings, resolve, type ActivityProxyMapping, type MappingRoot } from './proxy-mappings';
import type { FakeDiscord } from './types';

export type { ActivityProxyMapping } from './proxy-mappings';
export type { OpenedLink } from './fake-client-rpc';

/**
 * A stand-in for `https://<app_id>.discordsays.com`: Discord's Activity proxy (URL mappings,
 * WebSockets, redirects passed through, its CSP) plus, at `/__fake-discord/client.html` on the same
 * origin, the Discord client that iframes the Activity and answers the SDK's RPC. One proxy per
 * participant is cheap (one node:http server), so a network cut can hit one participant only.
 *
 * @example
 *   const proxy = await startFakeActivityProxy({ discord, mappings: [{ prefix: '/', target: `${bot.url}/activity` }] });
 *   await page.goto(proxy.frameUrl({ userId: alice.id, instanceId }));
 *   const activity = page.frameLocator('#activity');
 *   await proxy.cut(5_000);             // alice's WebSockets drop; new ones are refused for 5 s
 *   await proxy.close();
 */

export interface FakeActivityProxyOptions {
  readonly discord: FakeDiscord;
  /** Default: the fake Discord's application id. */
  readonly applicationId?: string;
  readonly mappings: readonly ActivityProxyMapping[];
  /**
   * Whether a request for a mapping's root goes to `<target dir>` (`bare`, default: the stricter
   * reading) or `<target dir>/` (`slash`); Discord does not say (proxy-mappings.ts).
   */
  readonly mappingRoot?: MappingRoot;
}

export interface FrameOptions {
  readonly userId: string;
  readonly instanceId: string;
  /** Default: the running instance's guild / channel. */
  readonly guildId?: string;
  readonly channelId?: string;
  readonly platform?: 'desktop' | 'mobile';
  /**
   * Opening the Activity joins the instance (as in Discord) when it runs; default true. `false`
   * opens it without joining, e.g. to play a client that forged its instance id.
   */
  readonly join?: boolean;
  /** The member declines the OAuth2 consent: `authorize` fails with RPC error 5000; default 'allow'. */
  readonly consent?: 'allow' | 'deny';
}

export interface ProxiedRequest {
  readonly method: string;
  /** As the browser asked, e.g. `/api/token` or `/kaltura-cdn/p/1/…`. */
  readonly path: string;
  /** The mapped upstream URL; absent when unmapped (404), refused by a cut, or a fake-client route. */
  readonly upstream?: string;
  readonly upgrade: boolean;
  readonly refused?: 'cut' | 'unmapped';
}

export interface FakeActivityProxy {
  /** `http://127.0.0.1:P`: the Activity's origin. */
  readonly url: string;
  /** The fake Discord client page for this user (the parent frame; the Activity is its `#activity` iframe). */
  frameUrl(options: FrameOptions): string;
  /** Links the Activity asked Discord to open (`openExternalLink`), oldest first. */
  openedLinks(): readonly OpenedLink[];
  readonly requests: readonly ProxiedRequest[];
  /**
   * A network cut for this proxy's participants: drops every open WebSocket now and refuses new ones
   * (connection reset) for `ms`; with `http: true` mapped HTTP answers in flight (a video streaming)
   * are cut and new requests reset too. The fake
   * client's own routes keep working (they stand for the local Discord client). Resolves when over.
   */
  cut(ms: number, options?: { readonly http?: boolean }): Promise<void>;
  close(): Promise<void>;
}

const RPC_BODY_LIMIT = 16 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > RPC_BODY_LIMIT) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startFakeActivityProxy(options: FakeActivityProxyOptions): Promise<FakeActivityProxy> {
  const { discord } = options;
  const applicationId = options.applicationId ?? discord.applicationId;
  const mappings = parseMappings(options.mappings);
  const opened: OpenedLink[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const webSockets = new Set<[Socket, Socket]>();
  /** Proxied HTTP answers still streaming (a cut with `http` kills them too). */
  const inFlight = new Set<ServerResponse>();
  const cut = { until: 0, http: false, timers: new Map<NodeJS.Timeout, () => void>() };
  const isCut = () => Date.now() < cut.until;
  let host = '';
  let csp = '';

  const send = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': csp, ...extra });
    res.end(body);
  };

  function clientPage(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const userId = q.get('user_id') ?? '';
    const instanceId = q.get('instance_id') ?? '';
    if (!/^\d{17,20}$/.test(userId) || instanceId === '') return send(res, 400, 'text/plain', 'user_id (snowflake) and instance_id are required');
    const running = discord.activityInstance(instanceId);
    if (running && q.get('join') !== '0') discord.joinActivityInstance(instanceId, userId);
    const guildId = q.get('guild_id') ?? running?.guildId;
    const channelId = q.get('channel_id') ?? running?.channelId;
    const platform = q.get('platform') === 'mobile' ? 'mobile' : 'desktop';
    const user = discord.user(userId);
    const sdkParams = new URLSearchParams({ frame_id: randomBytes(8).toString('hex'), instance_id: instanceId, platform });
    if (guildId) sdkParams.set('guild_id', guildId);
    if (channelId) sdkParams.set('channel_id', channelId);
    if (guildId && channelId) sdkParams.set('location_id', `gc-${guildId}-${channelId}`);
    const html = clientPageHtml({
      applicationId,
      userId,
      username: user.username,
      ...(user.global_name ? { globalName: user.global_name } : {}),
      instanceId,
      ...(guildId ? { guildId } : {}),
      ...(channelId ? { channelId } : {}),
      platform,
      consent: q.get('consent') === 'deny' ? 'deny' : 'allow',
      activitySrc: `/?${sdkParams}`,
    });
    send(res, 200, 'text/html; charset=utf-8', html);
  }

  async function fakeClientRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET' && url.pathname === '/__fake-discord/client.html') return clientPage(url, res);
    if (req.method === 'GET' && url.pathname === '/__fake-discord/client.js') return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_SCRIPT);
    if (req.method === 'GET' && url.pathname === '/__fake-discord/client.css') return send(res, 200, 'text/css; charset=utf-8', CLIENT_CSS);
    if (req.method === 'POST' && url.pathname === '/__fake-discord/rpc') {
      const body = (await readJson(req).catch(() => undefined)) as { userId?: unknown; instanceId?: unknown; cmd?: unknown; args?: unknown } | undefined;
      if (!body || typeof body.userId !== 'string' || typeof body.instanceId !== 'string' || typeof body.cmd !== 'string') {
        return send(res, 400, 'application/json', JSON.stringify({ error: { code: 4000, message: 'bad rpc body' } }));
      }
      const args = body.args && typeof body.args === 'object' ? (body.args as Record<string, unknown>) : {};
      const answer = await answerRpc(discord, applicationId, { userId: body.userId, instanceId: body.instanceId, cmd: body.cmd, args }, opened).catch((e: unknown) => ({
        error: { code: 1000, message: `fake Discord client failed: ${(e as Error).message}` },
      }));
      return send(res, 200, 'application/json', JSON.stringify(answer));
    }
    send(res, 404, 'text/plain', 'not a fake Discord client route');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    if (url.pathname.startsWith('/__fake-discord/')) {
      void fakeClientRoute(req, res, url).catch(() => res.destroy());
      return;
    }
    const upstream = resolve(mappings, req.url ?? '/', options.mappingRoot);
    const path = req.url ?? '/';
    if (isCut() && cut.http) {
      requests.push({ method: req.method ?? 'GET', path, upgrade: false, refused: 'cut' });
      return void req.socket.destroy();
    }
    if (!upstream) {
      requests.push({ method: req.method ?? 'GET', path, upgrade: false, refused: 'unmapped' });
      return send(res, 404, 'text/plain', 'No URL mapping matches this path');
    }
    requests.push({ method: req.method ?? 'GET', path, upstream: upstream.href, upgrade: false });
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    forwardHttp(req, res, upstream, csp);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = req.url ?? '/';
    const upstream = resolve(mappings, path, options.mappingRoot);
    if (isCut()) {
      requests.push({ method: req.method ?? 'GET', path, upgrade: true, refused: 'cut' });
      return void socket.destroy();
    }
    if (!upstream) {
      requests.push({ method: req.method ?? 'GET', path, upgrade: true, refused: 'unmapped' });
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    requests.push({ method: req.method ?? 'GET', path, upstream: upstream.href, upgrade: true });
    forwardUpgrade(req, socket, head, upstream, (pair) => {
      webSockets.add(pair);
      pair[0].on('close', () => webSockets.delete(pair));
    });
  });

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake Activity proxy: unexpected server address');
  host = `127.0.0.1:${address.port}`;
  csp = activityCsp(host);
  const url = `http://${host}`;

  return {
    url,
    frameUrl: (o) => {
      const q = new URLSearchParams({ user_id: o.userId, instance_id: o.instanceId });
      if (o.guildId) q.set('guild_id', o.guildId);
      if (o.channelId) q.set('channel_id', o.channelId);
      if (o.platform) q.set('platform', o.platform);
      if (o.join === false) q.set('join', '0');
      if (o.consent === 'deny') q.set('consent', 'deny');
      return `${url}/__fake-discord/client.html?${q}`;
    },
    openedLinks: () => [...opened],
    requests,
    cut: (ms, o = {}) => {
      cut.until = Math.max(cut.until, Date.now() + ms);
      cut.http = o.http ?? false;
      for (const [a, b] of webSockets) {
        a.destroy();
        b.destroy();
      }
      webSockets.clear();
      if (cut.http) for (const res of inFlight) res.destroy();
      return new Promise<void>((done) => {
        const timer = setTimeout(() => {
          cut.timers.delete(timer);
          done();
        }, ms);
        timer.unref();
        cut.timers.set(timer, done);
      });
    },
    close: () =>
      new Promise<void>((done) => {
        for (const [timer, over] of cut.timers) {
          clearTimeout(timer);
          over();
        }
        cut.timers.clear();
        for (const [a, b] of webSockets) {
          a.destroy();
          b.destroy();
        }
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
