/**
 * Which instance serves a Watch Together room. A room's state (members, host, timeline, the clock the
 * pongs are stamped with) lives in one process, so with several instances every member of one Activity
 * instance must reach the same process: the load balancer routes the sync socket by the Activity
 * instance id (`?instance=` on the socket URL; docs/scaling.md). This port is the safety net that makes a
 * wrong route visible: an instance serves a room only after claiming it, and a member routed to an
 * instance that cannot claim it is told so (close CLOSE_ROOM_ELSEWHERE) instead of silently joining a
 * second, separate room.
 */
export interface RoomOwnership {
  /** True when this instance may serve the room (it holds it now, or just claimed it). Bounded. */
  claim(roomId: string): Promise<boolean>;
  /** The room emptied here: another instance may serve it from now on. */
  release(roomId: string): void;
  /**
   * Calls `listener` when a room this instance holds was wanted by another instance (the load balancer now
   * sends that party's members there, e.g. after an instance was added): the holder hands the party over by
   * closing its sockets (CLOSE_ROOM_MOVED), so the members reconnect through the load balancer and the party
   * continues where they land. Rate-limited per room, so a wrong route cannot bounce a party for ever.
   */
  onWantedElsewhere(listener: (roomId: string) => void): () => void;
}

/** One instance (SQLite): every room is ours. */
export const soleRoomOwnership: RoomOwnership = {
  claim: async () => true,
  release: () => {},
  onWantedElsewhere: () => () => {},
};
