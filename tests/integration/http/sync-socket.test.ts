import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHttpApp } from '../../../src/http/create-http-app';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/start-http-server';
import { createSyncSocket, CLOSE_SESSION_REFUSED, type SyncSocket } from '../../../src/http/sync-socket';
import { createSyncRooms, type SyncRooms } from '../../../src/core/watch/sync-rooms';
import type { ActivitySession } from '../../../src/core/media/media-service';
import { captureLogger } from '../../helpers/capture-logger';
import { until } from '../../helpers/until';

const session = (userId: string, instanceId: string, name = `User ${userId}`): ActivitySession => ({
  userId, displayName: name, guildId: '100000000000000001', channelId: '300000000000000001', instanceId, expiresAt: Date.now() + 3_600_000,
});
const SESSIONS: Record<string, ActivitySession> = {
  'sess.alice': session('200000000000000001', 'i-one', 'Alice'),
  'sess.bob': session('200000000000000002', 'i-one', 'Bob'),
  'sess.carol': session('200000000000000003', 'i-two', 'Carol'),
};

interface Client {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  next(t: string): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

describe('the sync WebSocket (/activity/ws) over a real socket', () => {
  let server: RunningHttpServer | undefined;
  let socket: SyncSocket;
  let rooms: SyncRooms;
  const clients: WebSocket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await server?.close(0);
    server = undefined;
  });

  async function start(options: { helloTimeoutMs?: number; maxConnections?: number; expiredSeatGraceMs?: number } = {}) {
    const { logger } = captureLogger();
    const now = () => performance.timeOrigin + performance.now();
    rooms = createSyncRooms({ log: logger, now });
    const verifySession = (t: string) => {
      if (t === 'sess.boom') throw new Error('verifier bug');
      // a session that runs out while its socket is open (sessions last an hour; this one 300 ms)
      if (t === 'sess.alice-expiring') return { ...SESSIONS['sess.alice']!, expiresAt: Date.now() + 300 };
      return SESSIONS[t];
    };
    socket = createSyncSocket({
      rooms, now, logger, verifySession,
      ...(options.helloTimeoutMs !== undefined && { helloTimeoutMs: options.helloTimeoutMs }),
      ...(options.expiredSeatGraceMs !== undefined && { expiredSeatGraceMs: options.expiredSeatGraceMs }),
    });
    const app = createHttpApp({ logger, routes: [(h3) => void h3.get('/ok', () => 'ok')] });
    server = await startHttpServer(app, '127.0.0.1', 0, { logger, upgrade: socket, ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }) });
    return server.port;
  }

  function connect(path = '/activity/ws'): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${server!.port}${path}`);
    clients.push(ws);
    const frames: Record<string, unknown>[] = [];
    const waiters: { t: string; resolve: (f: Record<string, unknown>) => void }[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      frames.push(frame);
      for (const w of waiters.filter((x) => x.t === frame.t)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    return new Promise((resolve, reject) => {
      ws.once('open', () =>
        resolve({
          ws, frames, closed,
          next: (t) => {
            const seen = frames.find((f) => f.t === t);
            return seen ? Promise.resolve(seen) : new Promise((r) => waiters.push({ t, resolve: r }));
          },
        }),
      );
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  it('a verified hello joins the room of the session’s instance; members of one instance see each other, another instance is another room', async () => {
    await start();
    const alice = await connect();
    alice.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice' }));
    const welcome = await alice.next('welcome');
    expect(welcome).toMatchObject({ you: '200000000000000001', hostId: '200000000000000001' });
    const bob = await connect();
    bob.ws.send(JSON.stringify({ t: 'hello', session: 'sess.bob' }));
    expect(await bob.next('welcome')).toMatchObject({ you: '200000000000000002', hostId: '200000000000000001' });
    const carol = await connect();
    carol.ws.send(JSON.stringify({ t: 'hello', session: 'sess.carol' }));
    expect(await carol.next('welcome')).toMatchObject({ hostId: '200000000000000003' });
    expect(rooms.room('i-one')!.members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
    expect(rooms.room('i-two')!.members.map((m) => m.name)).toEqual(['Carol']);
    expect(socket.connections).toBe(3);
  });

  it('answers a ping with a pong stamped on the server clock (t1 ≤ t2) and echoing id and t0', async () => {
    await start();
    const alice = await connect();
    alice.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice' }));
    await alice.next('welcome');
    const before = performance.timeOrigin + performance.now();
    alice.ws.send(JSON.stringify({ t: 'ping', id: 7, t0: 1234.5 }));
    const pong = (await alice.next('pong')) as { id: number; t0: number; t1: number; t2: number };
    const after = performance.timeOrigin + performance.now();
    expect(pong.id).toBe(7);
    expect(pong.t0).toBe(1234.5);
    expect(pong.t1).toBeGreaterThanOrEqual(before);
    expect(pong.t2).toBeGreaterThanOrEqual(pong.t1);
    expect(pong.t2).toBeLessThanOrEqual(after);
  });

  it('closes 4001 when no hello comes in time, and when the first frame is not a hello', async () => {
    await start({ helloTimeoutMs: 50 });
    const silent = await connect();
    expect((await silent.closed).code).toBe(4001);
    await until('the server to forget the closed socket', () => socket.connections === 0);
    const rude = await connect();
    rude.ws.send(JSON.stringify({ t: 'ping', id: 1, t0: 1 }));
    expect((await rude.closed).code).toBe(4001);
    const garbage = await connect();
    garbage.ws.send('not json at all');
    expect((await garbage.closed).code).toBe(4001);
  });

  it('closes 4003 for a forged or unknown session, and never joins a room', async () => {
    await start();
    const forged = await connect();
    forged.ws.send(JSON.stringify({ t: 'hello', session: 'sess.mallory' }));
    expect((await forged.closed).code).toBe(CLOSE_SESSION_REFUSED);
    expect(rooms.size).toBe(0);
  });

  it('a session that expires while connected closes its socket 4003 (the client signs in again), and the member who comes back at once keeps the seat and the host role', async () => {
    await start();
    const alice = await connect();
    alice.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice-expiring' }));
    expect(await alice.next('welcome')).toMatchObject({ you: '200000000000000001', hostId: '200000000000000001' });
    const bob = await connect();
    bob.ws.send(JSON.stringify({ t: 'hello', session: 'sess.bob' }));
    await bob.next('welcome');
    expect((await alice.closed).code).toBe(CLOSE_SESSION_REFUSED);
    const back = await connect();
    back.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice' }));
    expect(await back.next('welcome')).toMatchObject({ you: '200000000000000001', hostId: '200000000000000001' });
    expect(bob.frames.filter((f) => f.t === 'host')).toEqual([]);
    expect(rooms.room('i-one')!.members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
  });

  it('a member whose session expired and who does not come back leaves once the seat’s grace is over: the host role passes on', async () => {
    await start({ expiredSeatGraceMs: 50 });
    const alice = await connect();
    alice.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice-expiring' }));
    await alice.next('welcome');
    const bob = await connect();
    bob.ws.send(JSON.stringify({ t: 'hello', session: 'sess.bob' }));
    await bob.next('welcome');
    expect((await alice.closed).code).toBe(CLOSE_SESSION_REFUSED);
    expect(await bob.next('host')).toMatchObject({ hostId: '200000000000000002' });
    expect(rooms.room('i-one')!.members.map((m) => m.name)).toEqual(['Bob']);
  });

  it('a failure while handling a frame closes that socket (1011) and nothing else', async () => {
    await start();
    const alice = await connect();
    alice.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice' }));
    await alice.next('welcome');
    const boom = await connect();
    boom.ws.send(JSON.stringify({ t: 'hello', session: 'sess.boom' }));
    expect((await boom.closed).code).toBe(1011);
    alice.ws.send(JSON.stringify({ t: 'ping', id: 1, t0: 1 }));
    expect(await alice.next('pong')).toMatchObject({ id: 1 });
  });

  it('oversized frames: over 2 KiB are bad frames (3 strikes close 4400), over 16 KiB the socket is closed 1009 at once', async () => {
    await start();
    const alice = await connect();
    alice.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice' }));
    await alice.next('welcome');
    const big = JSON.stringify({ t: 'state', status: 'playing', position: 1, pad: 'x'.repeat(3000) });
    alice.ws.send(big);
    expect(await alice.next('error')).toMatchObject({ code: 'bad-frame' });
    alice.ws.send(big);
    alice.ws.send(big);
    expect((await alice.closed).code).toBe(4400);

    const bob = await connect();
    bob.ws.send(JSON.stringify({ t: 'hello', session: 'sess.bob' }));
    await bob.next('welcome');
    bob.ws.send('x'.repeat(17 * 1024));
    expect((await bob.closed).code).toBe(1009);
  });

  it('refuses upgrades on any other path (and plain HTTP still works beside it)', async () => {
    await start();
    await expect(connect('/ws')).rejects.toThrow('HTTP 404');
    await expect(connect('/activity/ws/extra')).rejects.toThrow('HTTP 404');
    await expect(connect('/activity/api/token')).rejects.toThrow('HTTP 404');
    expect(await (await fetch(`http://127.0.0.1:${server!.port}/ok`)).text()).toBe('ok');
  });

  it('WebSocket connections count toward http.maxConnections', async () => {
    await start({ maxConnections: 2 });
    await connect();
    await connect();
    await expect(connect()).rejects.toThrow();
  });

  it('closing the server ends open sockets (1001) instead of waiting for them', async () => {
    await start();
    const alice = await connect();
    alice.ws.send(JSON.stringify({ t: 'hello', session: 'sess.alice' }));
    await alice.next('welcome');
    const quiet = await connect(); // no hello yet
    quiet.ws.pause(); // never reads: the close handshake cannot finish, so the server must drop it
    await server!.close(300);
    server = undefined;
    expect((await alice.closed).code).toBe(1001);
    expect(socket.connections).toBe(0);
  });
});

describe('start-http-server without an upgrade hook', () => {
  it('refuses every upgrade with 404', async () => {
    const { logger } = captureLogger();
    const server = await startHttpServer(createHttpApp({ logger, routes: [] }), '127.0.0.1', 0, { logger });
    try {
      const answer = await new Promise<string>((resolve) => {
        const s = net.connect(server.port, '127.0.0.1');
        let data = '';
        s.on('data', (c: Buffer) => (data += c.toString()));
        s.on('close', () => resolve(data));
        s.write('GET /activity/ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      });
      expect(answer).toMatch(/^HTTP\/1\.1 404/);
    } finally {
      await server.close(0);
    }
  });
});
