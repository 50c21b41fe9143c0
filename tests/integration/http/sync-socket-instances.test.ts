import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ActivitySession } from '../../../src/core/media/media-service';
import { CLOSE_BAD_FRAMES, CLOSE_ROOM_ELSEWHERE, CLOSE_ROOM_MOVED } from '../../../src/core/watch/sync-limits';
import { createSyncRooms, type SyncRooms } from '../../../src/core/watch/sync-rooms';
import { createHttpApp } from '../../../src/http/create-http-app';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/start-http-server';
import { createSyncSocket } from '../../../src/http/sync-socket';
import { createPgRoomOwnership, type PgRoomOwnership } from '../../../src/store/postgres/pg-room-ownership';
import { captureLogger } from '../../helpers/capture-logger';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../../helpers/stores';
import { until } from '../../helpers/until';

/**
 * Two instances on one PostgreSQL database, each with its own sync socket and rooms: a watch party is
 * served by the instance that claimed it first; a member routed to the other one is told (4421), never
 * put into a second, separate room.
 */
const session = (userId: string, instanceId: string): ActivitySession => ({
  userId, displayName: `User ${userId}`, guildId: '100000000000000001', channelId: '300000000000000001', instanceId, expiresAt: Date.now() + 3_600_000,
});
const SESSIONS: Record<string, ActivitySession> = {
  alice: session('200000000000000001', 'i-one'),
  bob: session('200000000000000002', 'i-one'),
  carol: session('200000000000000003', 'i-two'),
};

interface Instance {
  port: number;
  rooms: SyncRooms;
  ownership: PgRoomOwnership;
  log: ReturnType<typeof captureLogger>;
}

const servers: RunningHttpServer[] = [];
const closers: { close(): Promise<void> }[] = [];
const sockets: WebSocket[] = [];
let database: TestPostgresDatabase | undefined;
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const s of servers.splice(0)) await s.close(0);
  for (const c of closers.splice(0)) await c.close();
  await database?.drop();
  database = undefined;
});

async function instance(url: string, id: string): Promise<Instance> {
  const log = captureLogger();
  const now = () => performance.timeOrigin + performance.now();
  const ownership = await createPgRoomOwnership({ url, instanceId: id, logger: log.logger });
  closers.push(ownership);
  const rooms = createSyncRooms({ log: log.logger, now, onRoomClosed: (room) => ownership.release(room) });
  const socket = createSyncSocket({ rooms, now, logger: log.logger, verifySession: (t) => SESSIONS[t], ownership });
  const app = createHttpApp({ logger: log.logger, routes: [] });
  const server = await startHttpServer(app, '127.0.0.1', 0, { logger: log.logger, upgrade: socket });
  servers.push(server);
  return { port: server.port, rooms, ownership, log };
}

async function twoInstances(): Promise<[Instance, Instance]> {
  database = await createTestPostgresDatabase();
  return [await instance(database.url, 'a'), await instance(database.url, 'b')];
}

/** Opens the socket the Activity opens (…/ws?instance=<id>) and says hello; resolves with the first frame or the close. */
async function hello(port: number, who: string, routedBy = SESSIONS[who]!.instanceId, extra: object[] = []) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/activity/ws?instance=${encodeURIComponent(routedBy)}`);
  sockets.push(ws);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  ws.send(JSON.stringify({ t: 'hello', session: who }));
  for (const f of extra) ws.send(JSON.stringify(f));
  return { ws, frames, closed };
}

/** As the client does: reconnect while the instance says the party is still elsewhere (the hand-over is under way). */
async function joinRetrying(port: number, who: string) {
  for (let attempt = 0; ; attempt++) {
    const socket = await hello(port, who);
    await until(`${who} answered`, () => socket.frames.some((f) => f.t === 'welcome') || socket.ws.readyState === WebSocket.CLOSED);
    if (socket.frames.some((f) => f.t === 'welcome') || attempt >= 20) return socket;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('watch parties across two instances (PostgreSQL room ownership)', () => {
  it('serves a party on the instance that claimed it; a member routed to the other instance is closed 4421, a logged warning says why', async () => {
    const [a, b] = await twoInstances();
    const alice = await hello(a.port, 'alice');
    await until('alice welcomed', () => alice.frames.some((f) => f.t === 'welcome'));
    const bob = await hello(b.port, 'bob');
    expect(await bob.closed).toBe(CLOSE_ROOM_ELSEWHERE);
    expect(b.rooms.size).toBe(0);
    expect(b.log.text()).toMatch(/must route \/activity\/ws by its \?instance= parameter/);
    // Another party is free to live on b.
    const carol = await hello(b.port, 'carol');
    await until('carol welcomed', () => carol.frames.some((f) => f.t === 'welcome'));
    expect(b.rooms.room('i-two')?.members.map((m) => m.id)).toEqual(['200000000000000003']);
  });

  it('hands the party over to the instance the load balancer now sends it to: its members are closed 4422 and continue there', async () => {
    const [a, b] = await twoInstances();
    const alice = await hello(a.port, 'alice');
    await until('alice welcomed on a', () => alice.frames.some((f) => f.t === 'welcome'));
    // An instance was added and the hash now sends i-one to b: bob lands there first.
    const bob = await hello(b.port, 'bob');
    expect(await bob.closed).toBe(CLOSE_ROOM_ELSEWHERE);
    expect(await alice.closed).toBe(CLOSE_ROOM_MOVED);
    await until('a to drop the room', () => a.rooms.size === 0);
    // Both reconnect through the load balancer, i.e. to b, and meet in one room there.
    await joinRetrying(b.port, 'bob');
    await joinRetrying(b.port, 'alice');
    expect(b.rooms.room('i-one')?.members.map((m) => m.id).sort()).toEqual(['200000000000000001', '200000000000000002']);
    expect(a.log.text()).toMatch(/watch party handed over/);
    // A wrong route (round-robin) cannot bounce it back at once: b refuses a, and keeps the party.
    const carol = await hello(a.port, 'bob');
    expect(await carol.closed).toBe(CLOSE_ROOM_ELSEWHERE);
    expect(b.rooms.room('i-one')?.members).toHaveLength(2);
  });

  it('lets the other instance serve the party once it emptied, or once its instance is gone', async () => {
    const [a, b] = await twoInstances();
    const alice = await hello(a.port, 'alice');
    await until('alice welcomed', () => alice.frames.some((f) => f.t === 'welcome'));
    alice.ws.close();
    await until('the room to close on a', () => a.rooms.size === 0);
    // (The release is an unlock on a's connection: a reconnect that races it is refused once, as the client would see.)
    const bob = await joinRetrying(b.port, 'bob');
    expect(bob.frames.some((f) => f.t === 'welcome')).toBe(true);
    // Now b serves it; when b's instance goes away (its connection ends), a can take it back.
    await b.ownership.close();
    const alice2 = await joinRetrying(a.port, 'alice');
    expect(alice2.frames.some((f) => f.t === 'welcome')).toBe(true);
  });

  it('answers frames sent right behind the hello while the room is being claimed', async () => {
    const [a] = await twoInstances();
    const alice = await hello(a.port, 'alice', undefined, [{ t: 'ping', id: 1, t0: 10 }, { t: 'ping', id: 2, t0: 20 }]);
    await until('both pongs', () => alice.frames.filter((f) => f.t === 'pong').length === 2);
    expect(alice.frames.filter((f) => f.t === 'pong').map((f) => f.id)).toEqual([1, 2]);
  });

  it('refuses a socket whose URL names another Activity instance than its session (the route would be wrong)', async () => {
    const [a] = await twoInstances();
    const alice = await hello(a.port, 'alice', 'i-two');
    expect(await alice.closed).toBe(CLOSE_BAD_FRAMES);
    expect(a.rooms.size).toBe(0);
  });
});
