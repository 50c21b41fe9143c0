/**
 * The test hook the Activity attaches as `window.kdWatch` (src/activity-client/connect-sync.ts): the
 * e2e tests and the sync benchmark read the engine's state and drive the host's controls through it.
 */
import type { MemberStatus } from '../../core/watch/sync-protocol.js';
import type { ConnectionState } from './sync-connection.js';
import type { SyncClient } from './sync-client.js';

/** The shape of `window.kdWatch.state()` (tests and the benchmark read it). */
export interface KdWatchState {
  readonly entryId?: string;
  /** The element's currentTime (s). */
  readonly position: number;
  /** The group's timeline: playing, rate. */
  readonly playing: boolean;
  readonly rate: number;
  /** serverTime ≈ localTime + offsetMs; rttMs of the best sample (NaN before the first pong). */
  readonly offsetMs: number;
  readonly rttMs: number;
  /** What this member last reported to the room. */
  readonly status: MemberStatus | 'joining';
  readonly host: boolean;
  readonly connection: ConnectionState;
  /** Where the group is now (s), and this element's error against it (ms, positive = ahead). */
  readonly expected?: number;
  readonly errorMs?: number;
  readonly seq: number;
  readonly you?: string;
  readonly hostId?: string;
  /** Local ms (this client's clock) of the last welcome: when this member (re)joined the room. */
  readonly welcomedAt?: number;
}

export interface KdWatchHook {
  readonly ready: boolean;
  state(): KdWatchState;
  /** The host controls, so tests and the benchmark drive the room as the host's buttons do. */
  readonly commands: Pick<SyncClient, 'play' | 'pause' | 'seek' | 'setRate' | 'load' | 'setWait'>;
}

/** The test hook E7 attaches as `window.kdWatch`. */
export function kdWatchHook(client: SyncClient): KdWatchHook {
  return {
    get ready() { return client.ready; },
    state: () => client.state(),
    commands: {
      play: () => client.play(),
      pause: () => client.pause(),
      seek: (s) => client.seek(s),
      setRate: (r) => client.setRate(r),
      load: (id) => client.load(id),
      setWait: (on) => client.setWait(on),
    },
  };
}
