/**
 * What the Activity's views need from the sync layer (E6's sync client, src/activity-client/sync/),
 * kept small so the views do not depend on the wire protocol. connect-sync.ts implements it.
 */
import type { RoomFacts } from './room-view-model.js';

export interface GroupPlayback {
  readonly entryId?: string;
  readonly playing: boolean;
  readonly rate: number;
  /** Where the group is now (seconds). */
  readonly position: number;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface WatchSyncEvents {
  /** Members, host and wait mode changed (welcome, presence, host frames). */
  onRoom(room: RoomFacts): void;
  /** The group's timeline changed (a host command, wait mode, hand-over). */
  onTimeline(playback: GroupPlayback): void;
  /** The group switched video (or learned it on joining): load this entry into the <video>, then call setMediaEntry. */
  onEntry(entryId: string | undefined): void;
  /** The browser refused to start playback without a click: offer a button that calls resumePlayback(). */
  onAutoplayBlocked(): void;
  /** `detail` says why when known (e.g. 'opened elsewhere': the same member opened the Activity in another window). */
  onConnection(state: ConnectionState, detail?: string): void;
  /** A refusal from the room (e.g. not-host), as a sentence. */
  onError(message: string): void;
}

export interface WatchSync {
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  rate(rate: number): void;
  load(entryId: string): void;
  setWait(on: boolean): void;
  /** The group's expected position now, once the timeline is known. */
  groupPosition(): number | undefined;
  /** Which entry the <video> holds now (undefined while another one's source is still in it); only a matching element is steered. */
  setMediaEntry(entryId: string | undefined): void;
  /** After a click, when onAutoplayBlocked fired. */
  resumePlayback(): void;
  close(): void;
}
