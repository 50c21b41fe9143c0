/**
 * All Watch Together rooms of this process, keyed by Discord Activity instance id. The transport
 * (src/http/sync-socket*.ts) verifies the session, then calls `join` with the session's instance
 * and member; an empty room is dropped at once (a new instance id comes with the next launch).
 */
import type { Logger } from '../logger.js';
import { CLOSE_ROOM_FULL, MAX_MEMBERS } from './sync-limits.js';
import type { SyncMemberInfo, SyncPeer } from './room-member.js';
import { createSyncRoom, type RoomSnapshot, type SyncHandle, type SyncRoom } from './sync-room.js';

export type { SyncMemberInfo, SyncPeer } from './room-member.js';
export type { RoomSnapshot, SyncHandle } from './sync-room.js';

export interface SyncRoomsOptions {
  readonly log: Logger;
  /** Server clock, ms. Default: performance.timeOrigin + performance.now() (sub-ms, monotonic within the process). */
  readonly now?: () => number;
  /** Default: setTimeout/clearTimeout (unref'd, so a pending presence never keeps the process alive). */
  readonly schedule?: (ms: number, fn: () => void) => () => void;
  /** Wait mode gives up on buffering members after this long. Default 10 s. */
  readonly waitTimeoutMs?: number;
  /** Presence broadcasts at most every this many ms. Default 250 (≤ 4/s). */
  readonly presenceIntervalMs?: number;
  /** Called when a room empties and is dropped (several instances: its claim is released). */
  readonly onRoomClosed?: (instanceId: string) => void;
}

export interface SyncRooms {
  join(instanceId: string, member: SyncMemberInfo, peer: SyncPeer): SyncHandle;
  room(instanceId: string): RoomSnapshot | undefined;
  readonly size: number;
}

const realSchedule = (ms: number, fn: () => void): (() => void) => {
  const t = setTimeout(fn, ms);
  (t as { unref?: () => void }).unref?.();
  return () => clearTimeout(t);
};

export function createSyncRooms(options: SyncRoomsOptions): SyncRooms {
  const rooms = new Map<string, SyncRoom>();
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const schedule = options.schedule ?? realSchedule;
  const noop: SyncHandle = { receive() {}, leave() {} };

  return {
    join(instanceId, member, peer) {
      let room = rooms.get(instanceId);
      if (!room) {
        const created = createSyncRoom(instanceId, {
          now, schedule, log: options.log,
          waitTimeoutMs: options.waitTimeoutMs ?? 10_000,
          presenceIntervalMs: options.presenceIntervalMs ?? 250,
          onEmpty: () => {
            if (rooms.get(instanceId) !== created) return;
            rooms.delete(instanceId);
            options.onRoomClosed?.(instanceId);
          },
        });
        rooms.set(instanceId, created);
        room = created;
      }
      if (room.size >= MAX_MEMBERS && !room.snapshot().members.some((m) => m.id === member.id)) {
        try { peer.close(CLOSE_ROOM_FULL, 'this watch party is full'); } catch { /* closing */ }
        return noop;
      }
      return room.join(member, peer);
    },
    room: (instanceId) => rooms.get(instanceId)?.snapshot(),
    get size() { return rooms.size; },
  };
}
