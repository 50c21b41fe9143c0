/** One participant's connection inside a room, and the small per-connection budgets. */
import { MAX_NAME_CHARS, type PresenceMember, type PresenceStatus, type ServerFrame } from './sync-protocol.js';

/** What the transport gives the room for one socket. Both must not throw (the room guards anyway). */
export interface SyncPeer {
  send(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

export interface SyncMemberInfo {
  /** The Discord user id from the verified session. */
  readonly id: string;
  /** Display name (plain text; the client renders it as text, never as HTML). */
  readonly name: string;
}

export interface RoomMember {
  readonly id: string;
  readonly name: string;
  peer: SyncPeer;
  /** Connection generation: a handle from an older connection of the same member is stale. */
  gen: number;
  readonly joinedAt: number;
  status: PresenceStatus;
  position?: number;
  entryId?: string;
  strikes: number;
  warnedNotHost: boolean;
  warnedBadFrame: boolean;
  /** The room gave up waiting for this member (or the host overrode); ignored until it is ready again. */
  ignoreBuffering: boolean;
  tokens: number;
  tokensAt: number;
}

/** Flood guard: a sustained 20 frames/s with bursts of 40 is far above what the client sends (≈2/s). */
const RATE_PER_S = 20;
const BURST = 40;

export function newMember(info: SyncMemberInfo, peer: SyncPeer, now: number, gen: number): RoomMember {
  return {
    id: info.id, name: info.name.slice(0, MAX_NAME_CHARS) || '?', peer, gen, joinedAt: now, status: 'joining',
    strikes: 0, warnedNotHost: false, warnedBadFrame: false, ignoreBuffering: false,
    tokens: BURST, tokensAt: now,
  };
}

/** Takes one frame's token; false when the member is over budget. */
export function takeToken(m: RoomMember, now: number): boolean {
  m.tokens = Math.min(BURST, m.tokens + ((now - m.tokensAt) / 1000) * RATE_PER_S);
  m.tokensAt = now;
  if (m.tokens < 1) return false;
  m.tokens -= 1;
  return true;
}

export function toPresence(m: RoomMember, hostId: string | undefined): PresenceMember {
  return {
    id: m.id,
    name: m.name,
    status: m.status,
    ...(m.position === undefined ? {} : { position: Math.round(m.position * 1000) / 1000 }),
    host: m.id === hostId,
  };
}

export function safeSend(m: RoomMember, frame: ServerFrame): void {
  try {
    m.peer.send(frame);
  } catch {
    // A dying socket must not break a broadcast to the others; its close will remove it.
  }
}
