/**
 * The Watch Together WebSocket, `GET /activity/ws`, on the bot's own node server (crossws's node
 * adapter on the server's 'upgrade' event). The transport only authenticates and times: the first
 * frame must be `hello{session}` within 5 s, the session is verified (the same check as the API's
 * Bearer), and the connection joins the room of the session's Activity instance; every frame after
 * that goes to the room (src/core/watch), which parses, rate-limits and answers. The session is
 * checked only at hello, so the socket is closed (4003) when it expires: the client signs in again,
 * which re-checks membership and channel access, and reconnects into the seat kept for it.
 * Clock: pongs carry t1 (taken the moment a frame is read) and t2 (re-stamped the moment the pong is
 * written), both on the same server clock the rooms use, so the client's offset estimate sees only
 * network time.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import nodeAdapter from 'crossws/adapters/node';
import type { Peer } from 'crossws';
import type { Logger } from '../core/logger';
import type { ActivitySession } from '../core/media/media-service';
import { CLOSE_NO_HELLO, isParseError, parseClientFrame, type ServerFrame } from '../core/watch/sync-protocol';
import { CLOSE_BAD_FRAMES, CLOSE_ROOM_ELSEWHERE, CLOSE_ROOM_MOVED } from '../core/watch/sync-limits';
import type { RoomOwnership } from '../core/watch/room-ownership';
import type { SyncHandle, SyncRooms } from '../core/watch/sync-rooms';
import { createRateLimitedLog } from '../logging/rate-limited-log';
import { refuseUpgrade, type UpgradeHook } from './start-http-server';

export const SYNC_SOCKET_PATH = '/activity/ws';
/** The session was missing, forged or expired: the client gets a new one (POST api/session) and reconnects. */
export const CLOSE_SESSION_REFUSED = 4003;
/**
 * A member whose session ran out (close 4003) signs in again and reconnects within seconds; their
 * seat (and host role) is kept that long, so the hourly renewal does not hand the room to someone else.
 */
export const EXPIRED_SEAT_GRACE_MS = 30_000;
/** Frames above this are dropped by `ws` itself (close 1009); the room refuses anything over 2 KiB as a bad frame. */
export const MAX_WS_PAYLOAD_BYTES = 16 * 1024;

export interface SyncSocketOptions {
  readonly rooms: SyncRooms;
  /** `ActivityService.verifySession`. */
  readonly verifySession: (token: string) => ActivitySession | undefined;
  /** The rooms' clock (server ms). */
  readonly now: () => number;
  readonly logger: Logger;
  /** Default 5 s. */
  readonly helloTimeoutMs?: number;
  /** The clock `verifySession` judges expiry by (the app's clock); default Date.now. */
  readonly sessionNow?: () => number;
  /** Tests: how long an expired member's seat is kept; default EXPIRED_SEAT_GRACE_MS. */
  readonly expiredSeatGraceMs?: number;
  /** Several instances: a room is served here only once claimed (src/core/watch/room-ownership.ts). Default: every room is ours. */
  readonly ownership?: RoomOwnership;
}

/** The socket URL's `?instance=` (what the load balancer hashes on); a frame budget while a room is being claimed. */
const INSTANCE_PARAM = 'instance';
const MAX_FRAMES_WHILE_CLAIMING = 16;

export interface SyncSocket extends UpgradeHook {
  /** Open WebSocket connections (for tests and status). */
  readonly connections: number;
}

interface Connection {
  helloTimer?: NodeJS.Timeout;
  /** Closes the socket when its session expires: a session is checked at hello only, so it must not outlive its expiry. */
  expiryTimer?: NodeJS.Timeout;
  expired?: boolean;
  handle?: SyncHandle;
  /** The Activity instance (room) this connection joined. */
  roomId?: string;
  closed: boolean;
  /** The `?instance=` the socket URL carried (the load balancer's routing key). */
  routedBy?: string | null;
  /** Frames (with their receive time) that arrived while the room was being claimed; replayed after the join. */
  claiming?: [string, number][];
}

export function createSyncSocket(options: SyncSocketOptions): SyncSocket {
  const { rooms, now, logger } = options;
  const helloTimeoutMs = options.helloTimeoutMs ?? 5_000;
  const sessionNow = options.sessionNow ?? Date.now;
  const seatGraceMs = options.expiredSeatGraceMs ?? EXPIRED_SEAT_GRACE_MS;
  const refusals = createRateLimitedLog({ logger });
  const connections = new Map<Peer, Connection>();
  let stopping = false;
  let allClosed: (() => void) | undefined;
  const seatsKept = new Set<NodeJS.Timeout>();
  const claimsInFlight = new Map<string, number>();
  // Another instance now gets this party's members: hand it over (members reconnect and follow the route).
  const stopWanted = options.ownership?.onWantedElsewhere((roomId) => {
    let moved = 0;
    for (const [peer, c] of connections) {
      if (c.roomId !== roomId || c.closed) continue;
      moved++;
      close(peer, CLOSE_ROOM_MOVED, 'this watch party moves to another instance');
    }
    if (moved > 0) logger.info({ members: moved }, 'sync socket: watch party handed over to the instance the load balancer now routes it to');
  });

  const forget = (peer: Peer) => {
    const c = connections.get(peer);
    if (!c) return;
    c.closed = true;
    clearTimeout(c.helloTimer);
    clearTimeout(c.expiryTimer);
    connections.delete(peer);
    const handle = c.handle;
    if (handle && c.expired && !stopping) {
      // leave() is a no-op once the same member joined again (the room replaced this connection)
      const seat = setTimeout(() => (seatsKept.delete(seat), handle.leave()), seatGraceMs);
      seat.unref();
      seatsKept.add(seat);
    } else handle?.leave();
    if (connections.size === 0) allClosed?.();
  };
  const close = (peer: Peer, code: number, reason: string) => {
    try {
      peer.close(code, reason);
    } catch {
      peer.terminate();
    }
  };

  const hello = (peer: Peer, c: Connection, text: string) => {
    const frame = parseClientFrame(text);
    if (isParseError(frame) || frame.t !== 'hello') {
      refusals('info', 'sync socket: first frame was not a hello', {}, 'sync socket closed: the first frame must be a hello');
      return close(peer, CLOSE_NO_HELLO, 'the first frame must be a hello');
    }
    const session = options.verifySession(frame.session);
    if (!session) {
      refusals('info', 'sync socket: session refused', {}, 'sync socket closed: session missing, forged or expired');
      return close(peer, CLOSE_SESSION_REFUSED, 'session refused');
    }
    clearTimeout(c.helloTimer);
    c.expiryTimer = setTimeout(() => {
      c.expired = true;
      close(peer, CLOSE_SESSION_REFUSED, 'session expired');
    }, Math.min(Math.max(0, session.expiresAt - sessionNow()), 2 ** 31 - 1));
    c.expiryTimer.unref();
    if (c.routedBy && c.routedBy !== session.instanceId) {
      refusals('info', 'sync socket: URL instance differs from the session', {}, 'sync socket closed: the socket URL names another instance');
      return close(peer, CLOSE_BAD_FRAMES, 'the socket URL names another Activity instance');
    }
    if (!options.ownership || rooms.room(session.instanceId)) return join(peer, c, session);
    claim(peer, c, session, options.ownership);
  };

  /** Several instances: serve the room only if this instance holds it, so a wrong route is visible (4421), never a second room. */
  const claim = (peer: Peer, c: Connection, session: ActivitySession, ownership: RoomOwnership) => {
    const roomId = session.instanceId;
    c.claiming = [];
    claimsInFlight.set(roomId, (claimsInFlight.get(roomId) ?? 0) + 1);
    const settled = () => {
      const left = (claimsInFlight.get(roomId) ?? 1) - 1;
      if (left > 0) claimsInFlight.set(roomId, left);
      else claimsInFlight.delete(roomId);
    };
    ownership.claim(roomId).then(
      (ours) => {
        settled();
        if (!ours) {
          refusals('warn', 'sync socket: room served by another instance', { instances: 'several' },
            'sync socket closed: this watch party is served by another instance; the load balancer must route /activity/ws by its ?instance= parameter (docs/scaling.md)');
          return close(peer, CLOSE_ROOM_ELSEWHERE, 'this watch party is served by another instance');
        }
        if (c.closed) {
          // Nobody joined after all: let another instance have it.
          if (!rooms.room(roomId) && !claimsInFlight.has(roomId)) ownership.release(roomId);
          return;
        }
        const frames = c.claiming ?? [];
        c.claiming = undefined;
        join(peer, c, session);
        for (const [text, at] of frames) c.handle?.receive(text, at);
      },
      (err: unknown) => {
        settled();
        logger.error({ err }, 'sync socket: claiming the room failed; closing that connection');
        close(peer, 1011, 'internal error');
      },
    );
  };

  const join = (peer: Peer, c: Connection, session: ActivitySession) => {
    c.roomId = session.instanceId;
    c.handle = rooms.join(session.instanceId, { id: session.userId, name: session.displayName }, {
      send(out: ServerFrame) {
        if (c.closed || c.expired) return;
        // t2 as late as we can: right before the bytes are handed to the socket
        const stamped = out.t === 'pong' ? { ...out, t2: now() } : out;
        try {
          peer.send(JSON.stringify(stamped));
        } catch {
          // the socket is going away; its close hook cleans up
        }
      },
      close: (code, reason) => close(peer, code, reason),
    });
  };

  const adapter = nodeAdapter({
    serverOptions: { maxPayload: MAX_WS_PAYLOAD_BYTES, perMessageDeflate: false },
    hooks: {
      open(peer) {
        if (stopping) return peer.terminate(); // finished its handshake while the server stops: no close handshake to wait for
        const c: Connection = { closed: false, routedBy: routingKey(peer) };
        c.helloTimer = setTimeout(() => close(peer, CLOSE_NO_HELLO, 'no hello within 5 seconds'), helloTimeoutMs);
        c.helloTimer.unref();
        connections.set(peer, c);
      },
      message(peer, message) {
        const receivedAt = now(); // t1 as early as we can: before anything else looks at the frame
        const c = connections.get(peer);
        if (!c || c.closed || c.expired) return; // an expired session says nothing more
        // a binary frame is never a valid frame: the room counts '' as a bad one
        const text = typeof message.rawData === 'string' ? message.rawData : '';
        try {
          if (c.claiming) {
            if (c.claiming.length < MAX_FRAMES_WHILE_CLAIMING) c.claiming.push([text, receivedAt]);
          } else if (!c.handle) hello(peer, c, text);
          else c.handle.receive(text, receivedAt);
        } catch (err) {
          // thrown inside ws's 'message' event it would take the process down: this socket goes instead
          logger.error({ err }, 'sync socket: a frame could not be handled; closing that connection');
          close(peer, 1011, 'internal error');
        }
      },
      close(peer) {
        forget(peer);
      },
      error(peer, error) {
        logger.debug({ err: error }, 'sync socket error');
        forget(peer);
      },
    },
  });

  return {
    get connections() {
      return connections.size;
    },
    handle(req: IncomingMessage, socket: Duplex, head: Buffer) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== SYNC_SOCKET_PATH) return refuseUpgrade(socket, 404, 'Not found');
      if (stopping) return refuseUpgrade(socket, 503, 'Server stopping');
      adapter.handleUpgrade(req, socket, head).catch((err: unknown) => {
        logger.warn({ err }, 'sync socket upgrade failed');
        socket.destroy();
      });
    },
    close(graceMs: number) {
      stopping = true;
      stopWanted?.();
      for (const seat of seatsKept) clearTimeout(seat);
      seatsKept.clear();
      if (connections.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        // a polite close first; whoever has not finished the closing handshake by then is dropped
        const force = setTimeout(() => adapter.closeAll(1001, 'server stopping', true), Math.min(graceMs, 1_000));
        force.unref();
        allClosed = () => {
          clearTimeout(force);
          resolve();
        };
        adapter.closeAll(1001, 'server stopping');
      });
    },
  };
}

function routingKey(peer: Peer): string | null {
  try {
    return new URL(peer.request.url).searchParams.get(INSTANCE_PARAM);
  } catch {
    return null;
  }
}
