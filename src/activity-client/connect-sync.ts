/**
 * Binds E6's sync engine (sync/sync-client.ts) to what the views use (watch-sync.ts): presence and
 * host frames become one RoomFacts, timelines a GroupPlayback; and attaches the test hook
 * `window.kdWatch` (its shape is E6's kdWatchHook) that the e2e tests and the benchmark read.
 */
import { createSyncClient, kdWatchHook } from './sync/sync-client.js';
import type { RoomFacts } from './room-view-model.js';
import type { WatchSync, WatchSyncEvents } from './watch-sync.js';

export interface ConnectSyncOptions {
  /** ws(s)://…/ws, same origin as the page. */
  readonly url: string;
  /** The current session token (renewed sessions included). */
  readonly session: () => string;
  /** Signs in again; resolves true when a new session is set. */
  readonly renewSession: () => Promise<boolean>;
  readonly video: HTMLVideoElement;
  /** What the member clicked "Watch together" on: the host starts the room on it when nothing plays yet. */
  readonly launchedEntryId?: string;
  readonly events: WatchSyncEvents;
}

declare global {
  interface Window {
    kdWatch?: ReturnType<typeof kdWatchHook>;
  }
}

export function connectSync(o: ConnectSyncOptions): WatchSync {
  let room: RoomFacts = { members: [], wait: false };
  const setRoom = (next: RoomFacts) => {
    room = next;
    o.events.onRoom(room);
  };
  const client = createSyncClient({
    url: o.url,
    session: o.session,
    renewSession: o.renewSession,
    media: o.video,
    ...(o.launchedEntryId === undefined ? {} : { launchedEntryId: o.launchedEntryId }),
    events: {
      onConnection: (state, detail) => o.events.onConnection(state, detail),
      onPresence: (members, wait) => setRoom({ ...room, members, wait }),
      onHost: (hostId, you) => setRoom({ ...room, hostId, you }),
      onEntry: (entryId) => o.events.onEntry(entryId),
      onTimeline: (tl) =>
        o.events.onTimeline({
          ...(tl.entryId === undefined ? {} : { entryId: tl.entryId }),
          playing: tl.playing,
          rate: tl.rate,
          position: client.groupPosition() ?? tl.position,
        }),
      onError: (e) => o.events.onError(e.message),
      onAutoplayBlocked: () => o.events.onAutoplayBlocked(),
    },
  });
  window.kdWatch = kdWatchHook(client);
  client.start();
  return {
    play: () => client.play(),
    pause: () => client.pause(),
    seek: (s) => client.seek(s),
    rate: (r) => client.setRate(r),
    load: (entryId) => client.load(entryId),
    setWait: (on) => client.setWait(on),
    groupPosition: () => client.groupPosition(),
    setMediaEntry: (entryId) => client.setMediaEntry(entryId),
    resumePlayback: () => client.resumePlayback(),
    close: () => client.stop(),
  };
}
