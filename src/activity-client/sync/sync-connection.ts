/**
 * The sync WebSocket's life: hello on open, a burst of pings for the clock estimate then one every
 * 1.5 s (which doubles as a heartbeat: 5 s of silence means the socket is dead even if the browser
 * has not noticed), reconnects with capped, jittered backoff, and a session renewal on 4003.
 */
import {
  CLOSE_REPLACED, CLOSE_ROOM_ELSEWHERE, CLOSE_ROOM_MOVED, isParseError, parseServerFrame, type ClientFrame, type ServerFrame,
} from '../../core/watch/sync-protocol.js';
import type { ClockSync } from './clock-sync.js';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './reconnect-backoff.js';
import { OPEN, type SocketLike, type SyncEnv, type TimerHandle } from './sync-env.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Transport close codes (E5's src/http/sync-socket*.ts). */
export const CLOSE_SESSION_REFUSED = 4003;

export interface SyncConnectionOptions {
  readonly url: string;
  readonly session: () => string;
  /** Signs in again after the server refused the session; true when a new one is set. */
  readonly renewSession?: () => Promise<boolean>;
  readonly env: SyncEnv;
  readonly clock: ClockSync;
  readonly backoff?: BackoffOptions;
  onFrame(frame: ServerFrame): void;
  onState(state: ConnectionState, detail?: string): void;
}

const BURST = 6;
const BURST_GAP_MS = 60;
const PING_EVERY_MS = 1500;
const SILENCE_LIMIT_MS = 5000;
const WELCOME_WITHIN_MS = 5000;

export function createSyncConnection(o: SyncConnectionOptions) {
  const { env } = o;
  let ws: SocketLike | undefined;
  let attempt = 0;
  let stopped = false;
  let welcomed = false;
  let lastRx = 0;
  let pingId = 0;
  const sent = new Map<number, number>();
  const timers = new Set<TimerHandle>();
  const later = (ms: number, fn: () => void) => {
    const h = env.setTimeout(() => { timers.delete(h); fn(); }, ms);
    timers.add(h);
  };
  const clearAll = () => { for (const h of timers) env.clearTimeout(h); timers.clear(); };

  function send(frame: ClientFrame): boolean {
    if (!ws || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  function ping(): void {
    const id = ++pingId;
    const t0 = env.now();
    if (send({ t: 'ping', id, t0 })) sent.set(id, t0);
    if (sent.size > 32) sent.delete(sent.keys().next().value as number);
  }

  function heartbeat(sock: SocketLike): void {
    later(PING_EVERY_MS, () => {
      if (sock !== ws) return;
      if (env.now() - lastRx > SILENCE_LIMIT_MS) return drop(sock, 'no answer from the server');
      ping();
      heartbeat(sock);
    });
  }

  function drop(sock: SocketLike, why: string): void {
    sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
    try { sock.close(4000, why); } catch { /* already closed */ }
    closed(sock, 1006);
  }

  function closed(sock: SocketLike, code: number): void {
    if (sock !== ws) return;
    ws = undefined;
    welcomed = false;
    clearAll();
    if (stopped) return;
    if (code === CLOSE_REPLACED) {
      stopped = true;
      o.onState('closed', 'opened elsewhere');
      return;
    }
    // Without a way to sign in again, the same session would be refused for ever: stop instead of looping.
    if (code === CLOSE_SESSION_REFUSED && !o.renewSession) return fail('session refused');
    // Several bot instances and a load balancer not routing by instance id: say so, and keep trying
    // (the next connection may reach the instance that serves this watch party).
    o.onState('reconnecting', code === CLOSE_ROOM_ELSEWHERE ? 'served elsewhere' : code === CLOSE_ROOM_MOVED ? 'moving' : undefined);
    if (code === CLOSE_SESSION_REFUSED && o.renewSession) {
      const renew = o.renewSession;
      later(0, () => {
        renew().then(
          (ok) => (ok ? retry() : fail('session refused')),
          () => retry(),
        );
      });
      return;
    }
    retry();
  }

  function fail(why: string): void {
    stopped = true;
    o.onState('closed', why);
  }

  function retry(): void {
    if (stopped) return;
    later(backoffDelay(attempt++, env.random(), o.backoff ?? defaultBackoff), connect);
  }

  function connect(): void {
    if (stopped) return;
    let sock: SocketLike;
    try {
      sock = env.connect(o.url);
    } catch {
      retry();
      return;
    }
    ws = sock;
    // Bounded: a socket that neither opens nor closes (a black-holed network) is given up on.
    later(WELCOME_WITHIN_MS, () => { if (sock === ws && !welcomed) drop(sock, 'no welcome in time'); });
    sock.onopen = () => {
      if (sock !== ws) return;
      lastRx = env.now();
      send({ t: 'hello', session: o.session() });
      for (let i = 0; i < BURST; i++) later(i * BURST_GAP_MS, () => { if (sock === ws) ping(); });
      heartbeat(sock);
    };
    sock.onmessage = (ev) => {
      if (sock !== ws) return;
      const t3 = env.now();
      lastRx = t3;
      const f = parseServerFrame(ev.data);
      if (isParseError(f)) return; // a newer server's frame we do not know: ignore, never crash
      if (f.t === 'pong') {
        const t0 = sent.get(f.id);
        sent.delete(f.id);
        if (t0 !== undefined && t0 === f.t0) o.clock.add(f.t0, f.t1, f.t2, t3);
        return;
      }
      if (f.t === 'welcome') {
        attempt = 0;
        welcomed = true;
        o.onState('open');
      }
      o.onFrame(f);
    };
    sock.onclose = (ev) => closed(sock, ev.code);
    sock.onerror = () => { /* a close event follows */ };
  }

  return {
    start(): void {
      o.onState('connecting');
      connect();
    },
    /** Sends when connected and welcomed (hello and pings go out before the welcome). */
    send: (frame: ClientFrame): boolean => (welcomed ? send(frame) : false),
    get open(): boolean { return welcomed; },
    stop(): void {
      stopped = true;
      clearAll();
      const sock = ws;
      ws = undefined;
      if (sock) {
        sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
        try { sock.close(1000, 'bye'); } catch { /* closed */ }
      }
      o.onState('closed');
    },
  };
}

export type SyncConnection = ReturnType<typeof createSyncConnection>;
