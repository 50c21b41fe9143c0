/**
 * Binds E6's sync client (src/activity-client/sync/sync-client.ts) to the views' WatchSync.
 * PLACEHOLDER until the sync client lands: reports 'connecting' and sends nothing.
 */
import type { WatchSync, WatchSyncEvents } from './watch-sync.js';

export interface ConnectSyncOptions {
  /** ws(s)://…/ws, same origin as the page. */
  readonly url: string;
  /** The current session token (renewed sessions included). */
  readonly session: () => string;
  /** Signs in again; resolves true when a new session is set. */
  readonly renewSession: () => Promise<boolean>;
  readonly video: HTMLVideoElement;
  readonly events: WatchSyncEvents;
}

export function connectSync(o: ConnectSyncOptions): WatchSync {
  o.events.onConnection('connecting');
  return {
    play: () => undefined,
    pause: () => undefined,
    seek: () => undefined,
    rate: () => undefined,
    load: () => undefined,
    setWait: () => undefined,
    groupPosition: () => undefined,
    close: () => undefined,
  };
}
