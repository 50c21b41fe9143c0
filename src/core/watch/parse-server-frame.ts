/**
 * Parse of server→client frames, used by the browser client: the server is ours, but a proxy or a
 * version skew can still hand the client something odd, and a NaN in a timeline would freeze the video.
 */
import type {
  ErrorCode, Parsed, PresenceMember, PresenceStatus, ServerFrame, Timeline, TimelineReason,
} from './sync-protocol.js';
import {
  ENTRY_ID_PATTERN, MAX_ENTRY_ID_CHARS, MAX_MEMBER_ID_CHARS, MAX_MEMBERS, MAX_MESSAGE_CHARS, MAX_NAME_CHARS,
  MAX_POSITION_S, MAX_RATE, MAX_SERVER_FRAME_BYTES, MAX_TIME_MS, MIN_RATE,
} from './sync-limits.js';
import { bool, decode, fail, guarded, int, num, oneOf, optNum, optStr, str, type Obj } from './frame-fields.js';

const PRESENCE_STATUSES: readonly PresenceStatus[] = ['playing', 'paused', 'buffering', 'ended', 'joining'];
const REASONS: readonly TimelineReason[] = ['cmd', 'buffering', 'ready', 'gave-up'];
const ERROR_CODES: readonly ErrorCode[] = ['bad-frame', 'not-host'];

const time = (o: Obj, k: string): number => num(o, k, -MAX_TIME_MS, MAX_TIME_MS);
const memberId = (o: Obj, k: string): string => str(o, k, MAX_MEMBER_ID_CHARS);

function timeline(o: Obj): Timeline {
  const entryId = optStr(o, 'entryId', MAX_ENTRY_ID_CHARS, ENTRY_ID_PATTERN);
  const reason = o.reason === undefined ? undefined : oneOf(o, 'reason', REASONS);
  return {
    seq: int(o, 'seq'),
    ...(entryId === undefined ? {} : { entryId }),
    playing: bool(o, 'playing'),
    position: num(o, 'position', 0, MAX_POSITION_S),
    rate: num(o, 'rate', MIN_RATE, MAX_RATE),
    at: time(o, 'at'),
    by: memberId(o, 'by'),
    ...(reason === undefined ? {} : { reason }),
  };
}

function members(o: Obj): PresenceMember[] {
  const list = o.members;
  if (!Array.isArray(list) || list.length > MAX_MEMBERS) fail(`"members" must be a list of at most ${MAX_MEMBERS}`);
  return (list as unknown[]).map((m) => {
    if (typeof m !== 'object' || m === null) return fail('a member must be an object');
    const mo = m as Obj;
    const position = optNum(mo, 'position', 0, MAX_POSITION_S);
    return {
      id: memberId(mo, 'id'),
      name: str(mo, 'name', MAX_NAME_CHARS),
      status: oneOf(mo, 'status', PRESENCE_STATUSES),
      ...(position === undefined ? {} : { position }),
      host: bool(mo, 'host'),
    };
  });
}

function serverFrame(o: Obj): ServerFrame {
  switch (o.t) {
    case 'welcome': {
      const tl = o.timeline;
      if (typeof tl !== 'object' || tl === null) return fail('"timeline" must be an object');
      return {
        t: 'welcome', you: memberId(o, 'you'), hostId: memberId(o, 'hostId'), serverTime: time(o, 'serverTime'),
        timeline: timeline(tl as Obj), members: members(o), wait: bool(o, 'wait'),
      };
    }
    case 'pong':
      return { t: 'pong', id: int(o, 'id'), t0: time(o, 't0'), t1: time(o, 't1'), t2: time(o, 't2') };
    case 'timeline':
      return { t: 'timeline', ...timeline(o) };
    case 'presence':
      return { t: 'presence', members: members(o), wait: bool(o, 'wait') };
    case 'host':
      return { t: 'host', hostId: memberId(o, 'hostId') };
    case 'error':
      return { t: 'error', code: oneOf(o, 'code', ERROR_CODES), message: str(o, 'message', MAX_MESSAGE_CHARS) };
    default:
      return fail(`unknown frame type "${String(o.t).slice(0, 20)}"`);
  }
}

/** Parse of one server→client text frame; unknown extra fields are ignored (forward compatible); never throws. */
export function parseServerFrame(text: unknown): Parsed<ServerFrame> {
  return guarded(() => serverFrame(decode(text, MAX_SERVER_FRAME_BYTES)));
}
