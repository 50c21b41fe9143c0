/**
 * The Watch Together sync protocol: JSON text frames over one WebSocket per participant.
 * Shared by the server room (sync-room.ts) and the browser client (src/activity-client/sync/),
 * so nothing here imports node or the DOM.
 *
 * Time: every server time (`serverTime`, `at`, `t1`, `t2`) is in server milliseconds; a client
 * maps it to its own clock with the offset from the ping/pong exchange (NTP-style).
 * The expected media position of a timeline at server time `now` is `expectedPosition()`.
 */
import {
  ENTRY_ID_PATTERN, MAX_ENTRY_ID_CHARS, MAX_FRAME_BYTES, MAX_POSITION_S, MAX_RATE, MAX_SESSION_CHARS,
  MAX_TIME_MS, MIN_RATE, SESSION_PATTERN,
} from './sync-limits.js';
import { bool, decode, fail, guarded, int, num, oneOf, only, optNum, optStr, str, type Obj } from './frame-fields.js';

export * from './sync-limits.js';
export { parseServerFrame } from './parse-server-frame.js';

export type MemberStatus = 'playing' | 'paused' | 'buffering' | 'ended';
/** In presence only: 'joining' until a member has reported its first state. */
export type PresenceStatus = MemberStatus | 'joining';
export type CmdOp = 'play' | 'pause' | 'seek' | 'rate' | 'load';
export type ErrorCode = 'bad-frame' | 'not-host';
/** Why the timeline last changed: a host command, or the room pausing for buffering members (wait mode) and resuming when they are ready or after giving up. */
export type TimelineReason = 'cmd' | 'buffering' | 'ready' | 'gave-up';

// ---- client → server -------------------------------------------------------------------------
export interface HelloFrame { readonly t: 'hello'; readonly session: string }
export interface PingFrame { readonly t: 'ping'; readonly id: number; readonly t0: number }
export interface StateFrame { readonly t: 'state'; readonly status: MemberStatus; readonly position: number; readonly entryId?: string }
export interface CmdFrame { readonly t: 'cmd'; readonly op: CmdOp; readonly position?: number; readonly rate?: number; readonly entryId?: string }
export interface WaitFrame { readonly t: 'wait'; readonly on: boolean }
export type ClientFrame = HelloFrame | PingFrame | StateFrame | CmdFrame | WaitFrame;

// ---- server → client -------------------------------------------------------------------------
export interface Timeline {
  readonly seq: number;
  readonly entryId?: string;
  readonly playing: boolean;
  /** Seconds into the media at server time `at`. */
  readonly position: number;
  readonly rate: number;
  /** Server ms. */
  readonly at: number;
  /** Member id of the host who caused it, or 'server' (wait mode). */
  readonly by: string;
  readonly reason?: TimelineReason;
}
export interface PresenceMember { readonly id: string; readonly name: string; readonly status: PresenceStatus; readonly position?: number; readonly host: boolean }
export interface WelcomeFrame {
  readonly t: 'welcome'; readonly you: string; readonly hostId: string; readonly serverTime: number;
  readonly timeline: Timeline; readonly members: readonly PresenceMember[]; readonly wait: boolean;
}
export interface PongFrame { readonly t: 'pong'; readonly id: number; readonly t0: number; readonly t1: number; readonly t2: number }
export interface TimelineFrame extends Timeline { readonly t: 'timeline' }
export interface PresenceFrame { readonly t: 'presence'; readonly members: readonly PresenceMember[]; readonly wait: boolean }
export interface HostFrame { readonly t: 'host'; readonly hostId: string }
export interface ErrorFrame { readonly t: 'error'; readonly code: ErrorCode; readonly message: string }
export type ServerFrame = WelcomeFrame | PongFrame | TimelineFrame | PresenceFrame | HostFrame | ErrorFrame;

export type Parsed<F> = F | { readonly error: string };

export function isParseError<F>(p: Parsed<F>): p is { readonly error: string } {
  return typeof (p as { error?: unknown }).error === 'string';
}

/** Where the timeline says playback is at server time `serverNow` (seconds). */
export function expectedPosition(tl: Pick<Timeline, 'playing' | 'position' | 'rate' | 'at'>, serverNow: number): number {
  if (!tl.playing) return tl.position;
  return Math.max(0, tl.position + ((serverNow - tl.at) / 1000) * tl.rate);
}

export const MEMBER_STATUSES: readonly MemberStatus[] = ['playing', 'paused', 'buffering', 'ended'];
export const CMD_OPS: readonly CmdOp[] = ['play', 'pause', 'seek', 'rate', 'load'];

function clientFrame(o: Obj): ClientFrame {
  switch (o.t) {
    case 'hello':
      only(o, ['session']);
      return { t: 'hello', session: str(o, 'session', MAX_SESSION_CHARS, SESSION_PATTERN) };
    case 'ping':
      only(o, ['id', 't0']);
      return { t: 'ping', id: int(o, 'id'), t0: num(o, 't0', -MAX_TIME_MS, MAX_TIME_MS) };
    case 'state': {
      only(o, ['status', 'position', 'entryId']);
      const status = oneOf(o, 'status', MEMBER_STATUSES);
      const position = num(o, 'position', 0, MAX_POSITION_S);
      const entryId = optStr(o, 'entryId', MAX_ENTRY_ID_CHARS, ENTRY_ID_PATTERN);
      return entryId === undefined ? { t: 'state', status, position } : { t: 'state', status, position, entryId };
    }
    case 'cmd': {
      only(o, ['op', 'position', 'rate', 'entryId']);
      const op = oneOf(o, 'op', CMD_OPS);
      const position = optNum(o, 'position', 0, MAX_POSITION_S);
      const rate = optNum(o, 'rate', MIN_RATE, MAX_RATE);
      const entryId = optStr(o, 'entryId', MAX_ENTRY_ID_CHARS, ENTRY_ID_PATTERN);
      if (op === 'seek' && position === undefined) fail('"seek" needs a position');
      if (op === 'rate' && rate === undefined) fail('"rate" needs a rate');
      if (op === 'load' && entryId === undefined) fail('"load" needs an entryId');
      return {
        t: 'cmd',
        op,
        ...(position === undefined ? {} : { position }),
        ...(rate === undefined ? {} : { rate }),
        ...(entryId === undefined ? {} : { entryId }),
      };
    }
    case 'wait':
      only(o, ['on']);
      return { t: 'wait', on: bool(o, 'on') };
    default:
      return fail(`unknown frame type "${String(o.t).slice(0, 20)}"`);
  }
}

/** Strict parse of one client→server text frame (≤ 2 KB, known fields only, finite bounded numbers); never throws. */
export function parseClientFrame(text: unknown): Parsed<ClientFrame> {
  return guarded(() => clientFrame(decode(text, MAX_FRAME_BYTES)));
}
