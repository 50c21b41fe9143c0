/**
 * Puts an entry into the <video>: POST api/playback (a short-lived KS for this entry only, sources
 * already proxy-relative), picks a source this browser plays, and recovers from playback errors
 * — typically the KS expiring during a long session — by asking api/playback again; once the new
 * source has loaded, the sync engine seeks it to where the group is now.
 */
import { ApiError, type Api, type PlaybackInfo } from './api-client.js';
import { pickSource } from './pick-source.js';

export interface MediaLoader {
  /** Loads `entryId` unless it is already loaded (or loading). Resolves when the source is set, or the failure shown. */
  load(entryId: string): Promise<PlaybackInfo | undefined>;
  current(): PlaybackInfo | undefined;
}

export interface MediaLoaderDeps {
  readonly video: HTMLVideoElement;
  readonly api: Api;
  readonly onEntry: (info: PlaybackInfo) => void;
  readonly onMessage: (text: string) => void;
}

/** A KS refresh is cheap, but a source that fails for another reason must not loop: 3 reloads a minute. */
const MAX_RELOADS = 3;
const RELOAD_WINDOW_MS = 60_000;
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000];
/** 0 = the server could not be reached. 502 is not here: an unmapped media host stays unmapped. */
const TRANSIENT = new Set([0, 429, 503, 504]);

export function createMediaLoader(d: MediaLoaderDeps): MediaLoader {
  let info: PlaybackInfo | undefined;
  let wanted: string | undefined;
  let reloads: number[] = [];
  let inflight: { readonly entryId: string; readonly promise: Promise<PlaybackInfo | undefined> } | undefined;

  /** api/playback, retried (1, 2, 4 s) while the failure is passing: no network, rate limited, Kaltura unavailable. */
  async function playbackOf(entryId: string): Promise<PlaybackInfo | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await d.api.playback(entryId);
      } catch (err) {
        if (wanted !== entryId) return undefined;
        const passing = err instanceof ApiError && TRANSIENT.has(err.status);
        d.onMessage(err instanceof ApiError ? err.message : 'This video could not be loaded.');
        if (!passing || attempt >= RETRY_DELAYS_MS.length) return undefined;
        await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
        if (wanted !== entryId) return undefined;
      }
    }
  }

  async function fetchAndSet(entryId: string): Promise<PlaybackInfo | undefined> {
    wanted = entryId;
    const next = await playbackOf(entryId);
    if (!next || wanted !== entryId) return undefined; // failed, or the host picked another video meanwhile
    d.onMessage('');
    const source = pickSource(next.sources, (t) => d.video.canPlayType(t));
    if (!source) {
      d.onMessage('This browser cannot play any format of this video.');
      return undefined;
    }
    info = next;
    if (next.poster) d.video.poster = next.poster;
    else d.video.removeAttribute('poster');
    d.video.src = source.src;
    d.video.load();
    d.onEntry(next);
    return next;
  }

  d.video.addEventListener('error', () => {
    if (!info || !d.video.error) return;
    const now = Date.now();
    reloads = reloads.filter((t) => now - t < RELOAD_WINDOW_MS);
    if (reloads.length >= MAX_RELOADS) {
      d.onMessage('The video keeps failing to play. Ask the host to pick it again, or reopen the Activity.');
      return;
    }
    reloads.push(now);
    d.onMessage('Reconnecting the video…');
    const entryId = info.entryId;
    info = undefined;
    void fetchAndSet(entryId);
  });

  return {
    load(entryId) {
      if (info?.entryId === entryId && wanted === entryId) return Promise.resolve(info);
      if (inflight?.entryId === entryId) return inflight.promise;
      const promise = fetchAndSet(entryId).finally(() => {
        if (inflight?.promise === promise) inflight = undefined;
      });
      inflight = { entryId, promise };
      return promise;
    },
    current: () => info,
  };
}
