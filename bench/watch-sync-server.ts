/**
 * A tiny stand-in for the bot's sync endpoint, for the benchmark: node:http + ws serving the
 * minimal page, the fixture video (with Range requests, as a CDN does — Chromium needs them to seek)
 * and /ws wired to the real rooms (src/core/watch/sync-rooms.ts). `cut(user, ms)` drops that
 * member's sockets and refuses its reconnects for `ms`, like the fake Discord proxy's cut.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSyncRooms } from '../src/core/watch/sync-rooms.js';
import type { Logger } from '../src/core/logger.js';

const silent: Logger = (() => {
  const noop = () => undefined;
  const l: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => l };
  return l;
})();

export async function startWatchSyncServer(videoPath: string) {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, 'watch-sync-page.ts')],
    bundle: true, format: 'esm', platform: 'browser', target: 'chrome110', write: false, logLevel: 'warning',
  });
  const js = bundle.outputFiles[0]!.contents;
  const html = '<!doctype html><meta charset="utf-8"><title>sync bench</title><body><script type="module" src="/page.js"></script>';
  const video = fs.readFileSync(videoPath);
  const rooms = createSyncRooms({ log: silent });
  const cutUntil = new Map<string, number>();
  const sockets = new Map<string, Set<WebSocket>>();

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (u.pathname === '/video.mp4') {
      const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
      if (!m) return void res.writeHead(200, { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-length': video.length }).end(video);
      const start = Number(m[1]);
      const end = m[2] ? Math.min(Number(m[2]), video.length - 1) : video.length - 1;
      res.writeHead(206, { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${video.length}`, 'content-length': end - start + 1 });
      return void res.end(video.subarray(start, end + 1));
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const user = u.searchParams.get('u') ?? '';
    if (u.pathname !== '/ws' || (cutUntil.get(user) ?? 0) > Date.now()) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const instance = u.searchParams.get('i') ?? 'bench';
      let handle: ReturnType<typeof rooms.join> | undefined;
      if (!sockets.has(user)) sockets.set(user, new Set());
      sockets.get(user)!.add(ws);
      ws.on('message', (data, isBinary) => {
        const receivedAt = performance.timeOrigin + performance.now();
        const text = isBinary ? '' : data.toString();
        if (!handle) {
          if (text !== JSON.stringify({ t: 'hello', session: `bench-${user}` })) return void ws.close(4001, 'hello first');
          handle = rooms.join(instance, { id: user, name: user }, {
            send: (f) => ws.send(JSON.stringify(f)),
            close: (code, reason) => ws.close(code, reason),
          });
          return;
        }
        handle.receive(text, receivedAt);
      });
      ws.on('close', () => { sockets.get(user)?.delete(ws); handle?.leave(); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    rooms,
    /** Drops `user`'s sockets (no close handshake, like a network cut) and refuses reconnects for `ms`. */
    cut(user: string, ms: number) {
      cutUntil.set(user, Date.now() + ms);
      for (const ws of sockets.get(user) ?? []) ws.terminate();
    },
    async close() {
      for (const set of sockets.values()) for (const ws of set) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
