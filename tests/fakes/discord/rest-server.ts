import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiErrors, DiscordApiError } from './api-errors';
import type { FakeState } from './fake-state';
import type { UploadedFile } from './message-store';
import { rateLimitBody, retryHeaders } from './rate-limit-plan';
import { majorParameter, matchTemplate, type RestRoute } from './rest-route';
import type { FailOptions, RecordedRequest } from './types';

/**
 * The REST half of the fake: `/api/v10/...` over node:http. Records every request, then applies,
 * in order: injected failures, route lookup (404/405), injected 429s, bot auth, the body check
 * (50109), the rate-limit bucket, the route handler. Every answer carries rate-limit headers.
 */

export interface RunningRest {
  apiBaseUrl: string;
  close(): Promise<void>;
}

type Headers = Record<string, string>;

function send(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  if (res.destroyed || res.writableEnded) return;
  if (body === undefined) {
    res.writeHead(status, { Date: new Date().toUTCString(), ...headers });
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = typeof body === 'string' ? 'text/html' : 'application/json';
  res.writeHead(status, { Date: new Date().toUTCString(), 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Cloudflare's page for a 5xx, which is what discord.js gets during a real outage. */
function outagePage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>cloudflare</center></body></html>`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart with `payload_json` + `files[n]` (what discord.js sends with attachments). */
async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown = null;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type || 'application/octet-stream' });
      }
    }
    return { body, files };
  }
  // The OAuth2 token endpoint takes forms (discord.com/developers/docs/topics/oauth2, RFC 6749 §4.1.3).
  if (contentType.startsWith('application/x-www-form-urlencoded')) return { body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [] };
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

export function startRestServer(state: FakeState, routes: readonly RestRoute[]): Promise<RunningRest> {
  const sockets = new Set<Socket>();
  const shutdown = new AbortController();

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer): Promise<void> {
    const reply = (status: number, body: unknown, headers: Headers = {}) => {
      record.status = status;
      if (body instanceof DiscordApiError) {
        record.errorCode = body.body.code;
        send(res, body.status, body.body, headers);
      } else {
        send(res, status, body, headers);
      }
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/api/v10/')) return reply(404, apiErrors.notFound());
    if (state.settings.requireUserAgent && !hasDiscordUserAgent(record.userAgent)) {
      record.status = 403;
      record.injected = 'fail';
      return void send(res, 403, outagePage(403));
    }

    const failure = state.limits.takeFailure(record.method, record.path);
    if (failure && !failure.afterHandling) {
      const answered = await applyFailure(failure, res, record);
      if (answered) return;
    }
    const match = routes.flatMap((route) => {
      const params = matchTemplate(route.template, record.path);
      return params ? [{ route, params }] : [];
    });
    const found = match.find((m) => m.route.method === record.method);
    if (!found) return reply(match.length ? 405 : 404, match.length ? apiErrors.methodNotAllowed() : apiErrors.notFound());
    const routeKey = { method: record.method, template: found.route.template, major: majorParameter(found.params) };
    // Parsed before the 429 so that rate-limited attempts are recorded with their body; a bad body is answered after auth.
    const parsed = await parseBody(raw, req.headers['content-type'] ?? '').catch(() => undefined);
    record.body = parsed?.body ?? null;
    record.files = parsed?.files ?? [];

    const injected = state.limits.takeRateLimit(record.method, record.path);
    if (injected) {
      record.injected = 'rate-limit';
      return reply(429, rateLimitBody(injected), state.limits.injectedHeaders(routeKey, injected));
    }
    if (found.route.auth === 'bot' && req.headers.authorization !== `Bot ${state.token}`) return reply(401, apiErrors.unauthorized());

    if (!parsed) return reply(400, apiErrors.invalidJson());

    const bucket = state.limits.consume(routeKey);
    if (bucket.limited) return reply(429, rateLimitBody(bucket.limited), { ...bucket.headers, ...retryHeaders(bucket.limited) });
    try {
      const result = await found.route.handle(state, {
        method: record.method,
        path: record.path,
        params: found.params,
        query: url.searchParams,
        body: parsed.body,
        headers: req.headers,
        files: parsed.files,
        record,
      });
      if (failure?.afterHandling && (await applyFailure(failure, res, record))) return;
      reply(result.status, result.body, { ...bucket.headers, ...result.headers });
    } catch (error) {
      if (error instanceof DiscordApiError) return reply(error.status, error, bucket.headers);
      state.internalErrors.push(error instanceof Error ? error : new Error(String(error)));
      reply(500, { message: '500: Internal Server Error', code: 0 });
    }
  }

  /** True when the failure answered (or killed) the request; a pure delay lets it continue. */
  async function applyFailure(failure: FailOptions, res: ServerResponse, record: RecordedRequest): Promise<boolean> {
    if (failure.delayMs) await sleep(failure.delayMs, undefined, { signal: shutdown.signal }).catch(() => undefined);
    if (shutdown.signal.aborted) return true;
    if (failure.reset) {
      record.injected = 'reset';
      res.socket?.resetAndDestroy();
      return true;
    }
    if (failure.status === undefined && failure.body === undefined && failure.delayMs) return false;
    const status = failure.status ?? 502;
    record.injected = 'fail';
    record.status = status;
    send(res, status, failure.body ?? outagePage(status));
    return true;
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const path = url.pathname.replace(/^\/api\/v10(?=\/)/, '').split('/').map(safeDecode).join('/');
        const authorization = req.headers.authorization;
        const userAgent = req.headers['user-agent'];
        const record: RecordedRequest = {
          method: req.method ?? 'GET',
          path,
          query: Object.fromEntries(url.searchParams),
          body: null,
          files: [],
          ...(authorization ? { authorization } : {}),
          ...(userAgent ? { userAgent } : {}),
          at: state.now(),
        };
        state.requests.push(record);
        return handle(req, res, record, raw);
      })
      .catch((error: unknown) => {
        state.internalErrors.push(error instanceof Error ? error : new Error(String(error)));
        send(res, 500, { message: '500: Internal Server Error', code: 0 });
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('fake Discord: unexpected server address'));
      resolve({
        apiBaseUrl: `http://127.0.0.1:${address.port}/api`,
        close: () =>
          new Promise<void>((done) => {
            shutdown.abort();
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * "Clients using the HTTP API must provide a valid User Agent … `DiscordBot ($url, $versionNumber)`";
 * requests without one "may be blocked and return a Cloudflare error" (the stricter reading: they are).
 * @see https://discord.com/developers/docs/reference#user-agent
 */
export const hasDiscordUserAgent = (ua: string | undefined): boolean => ua !== undefined && /^DiscordBot \([^,()]+, [^()]+\)/.test(ua);

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
