import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import { createDiscordActivityPlatform } from '../../../../src/discord/activity-platform';
import type { FakeDiscord } from '../types';

/**
 * The "bot" behind the fake proxy in its self-test: serves the probe Activity under /activity/
 * (index + bundled probe.js), exchanges codes with the real ActivityPlatform adapter, redirects to
 * its own absolute URL (which the proxy must pass through unchanged), and echoes WebSocket frames.
 * Also a second host standing in for Kaltura's CDN.
 */

export interface ProbeServers {
  /** `http://127.0.0.1:P` of the bot. */
  readonly botUrl: string;
  readonly cdnUrl: string;
  close(): Promise<void>;
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

export async function startProbeServers(discord: FakeDiscord): Promise<ProbeServers> {
  const bundle = await build({ entryPoints: [new URL('./probe.js', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.text;
  const platform = createDiscordActivityPlatform({ apiBaseUrl: discord.apiBaseUrl, token: discord.token, applicationId: discord.applicationId, clientSecret: discord.clientSecret });
  let botUrl = '';
  const bot = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // The proxy asks for its root as `/activity` (no slash, fake's default reading) — answered in place, as the app does.
    if (path === '/activity/' || path === '/activity') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(
        `<!doctype html><html><head><meta name="client-id" content="${discord.applicationId}"><meta name="direct-url" content="${botUrl}/activity/api/ping">` +
          '<script type="module" src="assets/probe.js"></script></head><body>probe</body></html>',
      );
    }
    if (path === '/activity/assets/probe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(script);
    }
    if (path === '/activity/api/token' && req.method === 'POST') {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        platform.exchangeCode((JSON.parse(raw) as { code: string }).code).then(
          (token) => {
            res.writeHead(token ? 200 : 401, { 'content-type': 'application/json' });
            res.end(JSON.stringify(token ? { access_token: token.accessToken } : { error: 'activity.bad-code' }));
          },
          () => res.writeHead(503).end(),
        );
      });
      return;
    }
    if (path === '/activity/api/redirect') return res.writeHead(302, { location: `${botUrl}/activity/api/ping` }).end();
    // Open to any origin, so only the CSP can stop a direct call from the Activity.
    if (path === '/activity/api/ping') return res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' }).end('pong');
    res.writeHead(404).end();
  });
  const sockets = new WebSocketServer({ noServer: true });
  bot.on('upgrade', (req, socket, head) => {
    if (req.url !== '/activity/ws') return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo:${data.toString()}`)));
  });
  const cdn = createServer((req, res) => {
    if (req.url === '/p/1/thumb.txt') return res.writeHead(200, { 'content-type': 'text/plain' }).end('thumb');
    res.writeHead(404).end();
  });
  botUrl = await listen(bot);
  const cdnUrl = await listen(cdn);
  return {
    botUrl,
    cdnUrl,
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      bot.closeAllConnections();
      cdn.closeAllConnections();
      await Promise.all([new Promise((r) => bot.close(r)), new Promise((r) => cdn.close(r))]);
    },
  };
}
