/**
 * What the views show about the room, derived from the sync server's welcome/presence/host frames.
 * Pure (no DOM): unit-tested under node.
 */
import { statusLabel, type WatcherStatus } from './format.js';

export interface RoomMember {
  readonly id: string;
  readonly name: string;
  readonly status: WatcherStatus;
  readonly position?: number;
  readonly host: boolean;
}

export interface RoomFacts {
  /** This member's id (welcome.you); undefined before the socket is up. */
  readonly you?: string;
  readonly hostId?: string;
  readonly members: readonly RoomMember[];
  readonly wait: boolean;
}

export interface PresenceRow {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly host: boolean;
  readonly you: boolean;
  readonly status: WatcherStatus;
}

export interface ControlsModel {
  readonly isHost: boolean;
  /** Shown to everyone else next to the disabled controls: "host: <name>". */
  readonly hostLine: string;
  readonly waitingFor: readonly string[];
}

export function hostName(room: RoomFacts): string | undefined {
  const id = room.hostId ?? room.members.find((m) => m.host)?.id;
  return room.members.find((m) => m.id === id)?.name;
}

export function isHost(room: RoomFacts): boolean {
  return room.you !== undefined && room.you === (room.hostId ?? room.members.find((m) => m.host)?.id);
}

/** Host first, then you, then by name; each with the words the list shows. */
export function presenceRows(room: RoomFacts): PresenceRow[] {
  const hostId = room.hostId ?? room.members.find((m) => m.host)?.id;
  const rank = (m: RoomMember) => (m.id === hostId ? 0 : m.id === room.you ? 1 : 2);
  return [...room.members]
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((m) => ({ id: m.id, name: m.name, label: statusLabel(m.status), host: m.id === hostId, you: m.id === room.you, status: m.status }));
}

export function controlsModel(room: RoomFacts): ControlsModel {
  const name = hostName(room);
  const host = isHost(room);
  return {
    isHost: host,
    hostLine: host ? 'You are the host' : name ? `host: ${name}` : 'host: (connecting…)',
    waitingFor: room.members.filter((m) => m.status === 'buffering').map((m) => m.name),
  };
}
