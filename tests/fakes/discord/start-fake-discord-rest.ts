import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDiscordApp {
  readonly token: string;
  readonly applicationId: string;
  readonly applicationName: string;
  readonly botId: string;
  readonly botName: string;
  /** 64 hex characters, as Discord's `verify_key`. */
  readonly verifyKey: string;
  /** Global commands Discord has for the application (default none). */
  readonly commands?: readonly object[];
}

export interface FakeDiscordRest {
  /** REST base to configure as `discord.apiBaseUrl`, e.g. `http://127.0.0.1:PORT/api`. */
  readonly apiBaseUrl: string;
  readonly requests: { method: string; path: string; authorization?: string }[];
  close(): Promise<void>;
}

/**
 * The slice of Discord's REST API that `init` and `doctor` use to identify a bot token
 * (`GET /users/@me`, `GET /applications/@me`) and `doctor` uses to compare commands, answering like Discord: 401 with
 * `{"message":"401: Unauthorized","code":0}` for an unknown token.
 * The full fake (gateway, interactions, messages) grows from this in later work.
 */
export async function startFakeDiscordRest(apps: readonly FakeDiscordApp[]): Promise<FakeDiscordRest> {
  const requests: FakeDiscordRest['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, ...(authorization ? { authorization } : {}) });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString() });
      res.end(JSON.stringify(body));
    };
    const app = apps.find((a) => authorization === `Bot ${a.token}`);
    if (!app) return send(401, { message: '401: Unauthorized', code: 0 });
    if (req.method === 'GET' && url.pathname === '/api/v10/users/@me') {
      return send(200, { id: app.botId, username: app.botName, discriminator: '0', bot: true, avatar: null, global_name: null });
    }
    if (req.method === 'GET' && url.pathname === '/api/v10/applications/@me') {
      return send(200, { id: app.applicationId, name: app.applicationName, verify_key: app.verifyKey, bot_public: true, bot: { id: app.botId, username: app.botName } });
    }
    if (req.method === 'GET' && url.pathname === `/api/v10/applications/${app.applicationId}/commands`) {
      return send(200, (app.commands ?? []).map((c, i) => ({ id: `18000000000000000${10 + i}`, application_id: app.applicationId, version: '1', ...c })));
    }
    send(404, { message: '404: Not Found', code: 0 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBaseUrl: `http://127.0.0.1:${port}/api`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
