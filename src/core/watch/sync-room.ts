/**
 * One Watch Together room = one Discord Activity instance. Pure: time and timers are injected,
 * sockets are `SyncPeer`s. The host (first member; on leave, the longest-present member) drives
 * the authoritative timeline; everybody else follows it. Bad input is answered with an error
 * frame and never changes the room; three bad frames close the socket (4400).
 */
import type { Logger } from '../logger.js';
import {
  CLOSE_BAD_FRAMES, CLOSE_REPLACED, isParseError, parseClientFrame,
  type ClientFrame, type Timeline, type TimelineReason,
} from './sync-protocol.js';
import { applyCmd, initialTimeline, setPlaying } from './room-timeline.js';
import { newMember, safeSend, takeToken, toPresence, type RoomMember, type SyncMemberInfo, type SyncPeer } from './room-member.js';

export interface RoomDeps {
  /** Server clock in ms (pong t1/t2, timeline `at`). */
  now(): number;
  /** Runs fn after ms; returns a cancel function. */
  schedule(ms: number, fn: () => void): () => void;
  log: Logger;
  /** Wait mode gives up on buffering members after this long (ms). */
  waitTimeoutMs: number;
  /** Presence broadcasts are coalesced to at most one per this many ms. */
  presenceIntervalMs: number;
  /** Called once the last member left; the registry drops the room. */
  onEmpty(): void;
}

export interface SyncHandle {
  /** One text frame from this member's socket; `receivedAt` = server ms when the transport read it. */
  receive(text: string, receivedAt?: number): void;
  /** The socket closed. Idempotent; a no-op for a connection that was replaced. */
  leave(): void;
}

export interface RoomSnapshot {
  readonly hostId: string | undefined;
  readonly timeline: Timeline;
  readonly wait: boolean;
  readonly waitingForBuffering: boolean;
  readonly members: readonly { id: string; name: string; status: string; position?: number; joinedAt: number }[];
}

const STRIKES_BEFORE_CLOSE = 3;

export function createSyncRoom(instanceId: string, deps: RoomDeps) {
  const members = new Map<string, RoomMember>();
  let hostId: string | undefined;
  let timeline = initialTimeline(deps.now());
  let wait = false;
  let waitPaused = false;
  let cancelGiveUp: (() => void) | undefined;
  let cancelPresence: (() => void) | undefined;
  let lastPresenceAt = -Infinity;
  let gen = 0;
  const log = deps.log.child({ instanceId });

  const broadcast = (frame: Parameters<SyncPeer['send']>[0]) => { for (const m of members.values()) safeSend(m, frame); };
  const presenceList = () => [...members.values()].map((m) => toPresence(m, hostId));

  function sendPresenceNow(): void {
    cancelPresence = undefined;
    lastPresenceAt = deps.now();
    broadcast({ t: 'presence', members: presenceList(), wait });
  }
  /** At most one presence per interval; the first change goes out at once, later ones coalesce. */
  function presenceChanged(): void {
    if (cancelPresence || members.size === 0) return;
    const due = lastPresenceAt + deps.presenceIntervalMs - deps.now();
    if (due <= 0) sendPresenceNow();
    else cancelPresence = deps.schedule(due, sendPresenceNow);
  }

  function publish(next: Timeline): void {
    timeline = next;
    broadcast({ t: 'timeline', ...timeline });
  }

  function endWait(reason: TimelineReason): void {
    cancelGiveUp?.();
    cancelGiveUp = undefined;
    if (!waitPaused) return;
    waitPaused = false;
    publish(setPlaying(timeline, true, reason, deps.now()));
  }

  /** Wait mode: pause the group while someone (not given up on) buffers; resume when all are ready. */
  function evaluateWait(): void {
    const buffering = [...members.values()].some((m) => m.status === 'buffering' && !m.ignoreBuffering);
    if (!wait || !buffering) {
      endWait('ready');
      return;
    }
    if (waitPaused || !timeline.playing) return;
    waitPaused = true;
    publish(setPlaying(timeline, false, 'buffering', deps.now()));
    cancelGiveUp = deps.schedule(deps.waitTimeoutMs, () => {
      cancelGiveUp = undefined;
      for (const m of members.values()) if (m.status === 'buffering') m.ignoreBuffering = true;
      log.info({ waitedMs: deps.waitTimeoutMs }, 'watch together: gave up waiting for buffering members');
      endWait('gave-up');
    });
  }

  function strike(m: RoomMember, message: string): void {
    m.strikes += 1;
    if (!m.warnedBadFrame) {
      m.warnedBadFrame = true;
      log.warn({ memberId: m.id, reason: message }, 'watch together: refused a malformed frame');
    }
    safeSend(m, { t: 'error', code: 'bad-frame', message });
    if (m.strikes >= STRIKES_BEFORE_CLOSE) {
      try { m.peer.close(CLOSE_BAD_FRAMES, 'too many malformed frames'); } catch { /* already closing */ }
      remove(m);
    }
  }

  function hostOnly(m: RoomMember): boolean {
    if (m.id === hostId) return true;
    if (!m.warnedNotHost) {
      m.warnedNotHost = true;
      log.warn({ memberId: m.id }, 'watch together: refused a host command from a non-host');
    }
    safeSend(m, { t: 'error', code: 'not-host', message: 'Only the host controls playback.' });
    return false;
  }

  function handle(m: RoomMember, f: ClientFrame, receivedAt: number): void {
    switch (f.t) {
      case 'hello':
        return; // the transport consumed the first one; a repeat changes nothing
      case 'ping':
        safeSend(m, { t: 'pong', id: f.id, t0: f.t0, t1: receivedAt, t2: deps.now() });
        return;
      case 'state': {
        const changed = m.status !== f.status;
        m.status = f.status;
        m.position = f.position;
        if (f.entryId !== undefined) m.entryId = f.entryId;
        if (f.status !== 'buffering') m.ignoreBuffering = false;
        if (changed) presenceChanged();
        evaluateWait();
        return;
      }
      case 'cmd': {
        if (!hostOnly(m)) return;
        // The host's command wins over the room's waiting: whoever buffers now is not waited for.
        cancelGiveUp?.();
        cancelGiveUp = undefined;
        waitPaused = false;
        if (f.op === 'play') for (const o of members.values()) if (o.status === 'buffering') o.ignoreBuffering = true;
        publish(applyCmd(timeline, f, m.id, deps.now()));
        return;
      }
      case 'wait':
        if (!hostOnly(m)) return;
        if (wait !== f.on) {
          wait = f.on;
          presenceChanged();
        }
        evaluateWait();
        return;
    }
  }

  function remove(m: RoomMember): void {
    if (members.get(m.id) !== m) return;
    members.delete(m.id);
    if (members.size === 0) {
      cancelGiveUp?.();
      cancelPresence?.();
      cancelGiveUp = cancelPresence = undefined;
      deps.onEmpty();
      return;
    }
    if (m.id === hostId) {
      let next: RoomMember | undefined;
      for (const o of members.values()) if (!next || o.joinedAt < next.joinedAt) next = o;
      hostId = next?.id;
      if (hostId) broadcast({ t: 'host', hostId });
    }
    presenceChanged();
    evaluateWait();
  }

  function join(info: SyncMemberInfo, peer: SyncPeer): SyncHandle {
    const now = deps.now();
    const old = members.get(info.id);
    let m: RoomMember;
    if (old) {
      // Same member again (second tab, or a reconnect before the old socket died): the new socket
      // takes over the membership (host role and seniority kept); the old one is closed.
      try { old.peer.close(CLOSE_REPLACED, 'replaced by a newer connection'); } catch { /* closing */ }
      old.peer = peer;
      old.gen = ++gen;
      old.status = 'joining';
      old.strikes = 0;
      m = old;
    } else {
      m = newMember(info, peer, now, ++gen);
      members.set(m.id, m);
      hostId ??= m.id;
    }
    const myGen = m.gen;
    safeSend(m, { t: 'welcome', you: m.id, hostId: hostId ?? m.id, serverTime: deps.now(), timeline, members: presenceList(), wait });
    presenceChanged();
    const live = () => members.get(m.id) === m && m.gen === myGen;
    return {
      receive(text, receivedAt) {
        if (!live()) return;
        const at = receivedAt ?? deps.now();
        if (!takeToken(m, at)) return strike(m, 'too many frames');
        const f = parseClientFrame(text);
        if (isParseError(f)) return strike(m, f.error);
        handle(m, f, at);
      },
      leave() {
        if (live()) remove(m);
      },
    };
  }

  function snapshot(): RoomSnapshot {
    return {
      hostId, timeline, wait, waitingForBuffering: waitPaused,
      members: [...members.values()].map((m) => ({
        id: m.id, name: m.name, status: m.status, joinedAt: m.joinedAt,
        ...(m.position === undefined ? {} : { position: m.position }),
      })),
    };
  }

  return { join, snapshot, get size() { return members.size; } };
}

export type SyncRoom = ReturnType<typeof createSyncRoom>;
