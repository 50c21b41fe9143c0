/**
 * A deterministic little world for the sync client: one fake clock with timers, the real room
 * registry (src/core/watch/sync-rooms.ts), and fake WebSockets with one-way latency between them.
 * Each client gets its own clock skew, so the clock estimate has something to find. `cut()` drops
 * a member's socket and refuses new ones for a while, like the fake Discord proxy's cut(ms).
 */
import { createSyncRooms, type SyncHandle } from '../../../../src/core/watch/sync-rooms.js';
import { createSyncClient, type SyncClientOptions } from '../../../../src/activity-client/sync/sync-client.js';
import type { SocketLike, SyncEnv } from '../../../../src/activity-client/sync/sync-env.js';
import { captureLog } from '../../core/watch/fake-room-env.js';
import { FakeMedia } from './fake-media.js';

export function fakeTimers(start = 5_000_000) {
  let t = start;
  let seq = 0;
  let timers: { at: number; seq: number; fn: () => void }[] = [];
  const add = (fn: () => void, ms: number) => {
    const timer = { at: t + Math.max(0, ms), seq: ++seq, fn };
    timers.push(timer);
    return timer;
  };
  return {
    now: () => t,
    add,
    remove: (h: unknown) => { timers = timers.filter((x) => x !== h); },
    /** Runs every timer due within `ms`, in time order, then lets promise callbacks run. */
    async advance(ms: number) {
      const end = t + ms;
      for (;;) {
        let next: (typeof timers)[number] | undefined;
        for (const x of timers) if (x.at <= end && (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = x;
        if (!next) break;
        timers = timers.filter((x) => x !== next);
        t = Math.max(t, next.at);
        next.fn();
        await Promise.resolve();
      }
      t = end;
      await Promise.resolve();
    },
  };
}

interface Seed { x: number }
const rnd = (s: Seed) => { s.x = (s.x * 1103515245 + 12345) % 2147483648; return s.x / 2147483648; };

export function syncWorld(opts: { latencyMs?: number; jitterMs?: number; instanceId?: string } = {}) {
  const timers = fakeTimers();
  const { log, lines } = captureLog();
  const rooms = createSyncRooms({ log, now: timers.now, schedule: (ms, fn) => { const h = timers.add(fn, ms); return () => timers.remove(h); } });
  const latency = opts.latencyMs ?? 15;
  const seed: Seed = { x: 42 };
  const delay = () => latency + rnd(seed) * (opts.jitterMs ?? 4);
  const cutUntil = new Map<string, number>();
  const live = new Map<string, Set<() => void>>();
  const refusedSessions = new Set<string>();
  /** Sessions whose sockets reach an instance that does not serve their watch party (closed 4421). */
  const misrouted = new Set<string>();
  /** Users whose current sockets silently lose every frame (a black-holed route: no close event). */
  const silenced = new Set<string>();

  /** A client socket whose server end joins the room on hello; `session` = 'session-<userId>'. */
  function socket(): SocketLike {
    let state = 0;
    let handle: SyncHandle | undefined;
    let user: string | undefined;
    // A WebSocket is ordered (TCP): jitter may delay a frame but never let a later one overtake it.
    let upAt = 0;
    let downAt = 0;
    const up = () => (upAt = Math.max(upAt, timers.now() + delay())) - timers.now();
    const down = () => (downAt = Math.max(downAt, timers.now() + delay())) - timers.now();
    const s: SocketLike = {
      get readyState() { return state; },
      onopen: null, onmessage: null, onclose: null, onerror: null,
      send(text) {
        if (state !== 1 || (user && silenced.has(user))) return;
        timers.add(() => {
          if (state !== 1) return;
          if (!handle) {
            const f = JSON.parse(text) as { t: string; session?: string };
            if (f.t !== 'hello' || !f.session || refusedSessions.has(f.session)) return serverClose(4003, 'session refused');
            if (misrouted.has(f.session)) return serverClose(4421, 'this watch party is served by another instance');
            user = f.session.replace(/^session-/, '');
            if ((cutUntil.get(user) ?? 0) > timers.now()) return serverClose(1006, '');
            silenced.delete(user); // a new connection takes a working route
            handle = rooms.join(opts.instanceId ?? 'inst', { id: user, name: user.toUpperCase() }, {
              send: (frame) => {
                if (silenced.has(user!)) return;
                const text = JSON.stringify(frame);
                timers.add(() => { if (state === 1) s.onmessage?.({ data: text }); }, down());
              },
              close: (code, reason) => serverClose(code, reason),
            });
            if (!live.has(user)) live.set(user, new Set());
            live.get(user)!.add(kill);
            return;
          }
          handle.receive(text);
        }, up());
      },
      close(code = 1000, reason = '') {
        if (state === 3) return;
        state = 3;
        timers.add(() => handle?.leave(), delay());
        timers.add(() => s.onclose?.({ code, reason }), 1);
      },
    };
    function serverClose(code: number, reason: string) {
      if (state === 3) return;
      state = 3;
      handle?.leave();
      timers.add(() => s.onclose?.({ code, reason }), down());
    }
    function kill() { serverClose(1006, ''); }
    timers.add(() => { state = 1; s.onopen?.({}); }, delay() * 2);
    return s;
  }

  function client(userId: string, o: { skewMs?: number; mode?: 'synced' | 'naive'; media?: FakeMedia } & Partial<SyncClientOptions> = {}) {
    const skew = o.skewMs ?? 0;
    const env: SyncEnv = {
      now: () => timers.now() + skew,
      setTimeout: (fn, ms) => timers.add(fn, ms),
      clearTimeout: (h) => timers.remove(h),
      random: () => rnd(seed),
      connect: () => socket(),
    };
    const media = o.media ?? new FakeMedia(timers.now, (fn, ms) => { timers.add(fn, ms); });
    const events = { errors: [] as { code: string }[], connection: [] as string[], details: [] as string[], hosts: [] as string[], entries: [] as (string | undefined)[], blocked: 0 };
    const c = createSyncClient({
      url: 'ws://x/activity/ws',
      session: () => `session-${userId}`,
      media,
      env,
      mode: o.mode ?? 'synced',
      ...(o.renewSession ? { renewSession: o.renewSession } : {}),
      ...(o.launchedEntryId ? { launchedEntryId: o.launchedEntryId } : {}),
      events: {
        onError: (e) => events.errors.push(e),
        onConnection: (s, d) => { events.connection.push(s); if (d) events.details.push(d); },
        onHost: (h) => events.hosts.push(h),
        onEntry: (e) => events.entries.push(e),
        onAutoplayBlocked: () => { events.blocked++; },
      },
    });
    c.start();
    return { c, media, events, userId };
  }

  return {
    timers, rooms, lines, client, refusedSessions, misrouted,
    /** From now on this user's open sockets deliver nothing either way, and nobody closes them. */
    silence(userId: string) { silenced.add(userId); },
    /** Drops this user's sockets now and refuses new ones for `ms`. */
    cut(userId: string, ms: number) {
      cutUntil.set(userId, timers.now() + ms);
      for (const k of live.get(userId) ?? []) k();
      live.delete(userId);
    },
  };
}
