/** A fake clock with timers, a capturing logger and recording peers, for the sync room tests. */
import type { Logger } from '../../../../src/core/logger.js';
import type { ServerFrame } from '../../../../src/core/watch/sync-protocol.js';
import { createSyncRooms, type SyncHandle } from '../../../../src/core/watch/sync-rooms.js';

export function fakeClock(start = 1_000_000) {
  let t = start;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  return {
    now: () => t,
    schedule(ms: number, fn: () => void) {
      const id = ++nextId;
      timers.push({ at: t + ms, fn, id });
      return () => { timers = timers.filter((x) => x.id !== id); };
    },
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((x) => x !== due);
        t = due.at;
        due.fn();
      }
      t = end;
    },
    pending: () => timers.length,
  };
}

export function captureLog() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const make = (bindings: object): Logger => {
    const fn = (level: string) => (a: object | string, b?: string) => {
      lines.push(typeof a === 'string' ? { level, obj: bindings, msg: a } : { level, obj: { ...bindings, ...a }, ...(b === undefined ? {} : { msg: b }) });
    };
    return {
      trace: fn('trace'), debug: fn('debug'), info: fn('info'), warn: fn('warn'), error: fn('error'), fatal: fn('fatal'),
      child: (more) => make({ ...bindings, ...more }),
    } as Logger;
  };
  return { log: make({}), lines };
}

export interface TestPeer {
  frames: ServerFrame[];
  closed?: { code: number; reason: string };
  handle: SyncHandle;
  send(f: object): void;
  of<T extends ServerFrame['t']>(t: T): Extract<ServerFrame, { t: T }>[];
  last<T extends ServerFrame['t']>(t: T): Extract<ServerFrame, { t: T }> | undefined;
}

export function roomEnv(opts: { waitTimeoutMs?: number } = {}) {
  const clock = fakeClock();
  const { log, lines } = captureLog();
  const rooms = createSyncRooms({ log, now: clock.now, schedule: clock.schedule, waitTimeoutMs: opts.waitTimeoutMs ?? 10_000 });
  function join(id: string, instanceId = 'inst-1', name = id): TestPeer {
    const p: Partial<TestPeer> & { frames: ServerFrame[] } = { frames: [] };
    p.of = ((t: string) => p.frames.filter((f) => f.t === t)) as TestPeer['of'];
    p.last = ((t: string) => p.frames.filter((f) => f.t === t).at(-1)) as TestPeer['last'];
    p.handle = rooms.join(instanceId, { id, name }, {
      send: (f) => { p.frames.push(JSON.parse(JSON.stringify(f)) as ServerFrame); },
      close: (code, reason) => { p.closed = { code, reason }; },
    });
    p.send = (f: object) => p.handle!.receive(JSON.stringify(f));
    return p as TestPeer;
  }
  return { clock, rooms, lines, join };
}
