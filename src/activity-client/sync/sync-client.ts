/**
 * The Activity's Watch Together engine: follows the room's authoritative timeline with the local
 * <video>, reports this member's state, and sends the host's commands. UI-free: E7's views bind to
 * it (src/activity-client/connect-sync.ts) and attach `window.kdWatch` from `kdWatchHook()`.
 *
 * mode 'synced' (the product): server clock estimate + drift controller, re-evaluated every 100 ms.
 * mode 'naive' (benchmark baseline only): apply each timeline once, local clock taken as the
 * server's, no further correction — what a simple "broadcast the host's events" sync does.
 */
import {
  expectedPosition, MAX_POSITION_S, MAX_RATE, MIN_RATE,
  type CmdFrame, type MemberStatus, type PresenceMember, type ServerFrame, type Timeline,
} from '../../core/watch/sync-protocol.js';
import { createClockSync } from './clock-sync.js';
import {
  decideDrift, defaultDriftOptions, initialDriftState, learnSeekLatency,
  type DriftAction, type DriftOptions, type MediaSnapshot,
} from './drift-controller.js';
import { BUFFERING_REPORT_DELAY_MS, mediaStatus } from './media-status.js';
import { createSyncConnection, type ConnectionState } from './sync-connection.js';
import { browserEnv, type MediaLike, type SyncEnv, type TimerHandle } from './sync-env.js';
import type { BackoffOptions } from './reconnect-backoff.js';
import type { KdWatchState } from './kd-watch-hook.js';

export type { ConnectionState } from './sync-connection.js';
export { kdWatchHook, type KdWatchHook, type KdWatchState } from './kd-watch-hook.js';

export interface SyncClientEvents {
  onConnection?(state: ConnectionState, detail?: string): void;
  /** The group's timeline changed (welcome, host command, wait mode). */
  onTimeline?(timeline: Timeline): void;
  /** The group switched video (or learned it at welcome): load this entry's source into the element. */
  onEntry?(entryId: string | undefined): void;
  onPresence?(members: readonly PresenceMember[], wait: boolean): void;
  onHost?(hostId: string, you: string): void;
  /** A refusal from the room ('not-host', 'bad-frame') or a local one ('offline'). */
  onError?(error: { readonly code: string; readonly message: string }): void;
  /** The browser refused play() without a user gesture: show a "join playback" button calling resumePlayback(). */
  onAutoplayBlocked?(): void;
}

export interface SyncClientOptions {
  readonly url: string;
  readonly session: () => string;
  readonly renewSession?: () => Promise<boolean>;
  readonly media: MediaLike;
  /** The entry this member launched the Activity for: the host loads it when the room has none yet. */
  readonly launchedEntryId?: string;
  readonly events?: SyncClientEvents;
  readonly mode?: 'synced' | 'naive';
  readonly env?: SyncEnv;
  readonly drift?: Partial<DriftOptions>;
  readonly backoff?: BackoffOptions;
}

const TICK_MS = 100;
const STATE_EVERY_MS = 2000;
const MEDIA_EVENTS = ['loadedmetadata', 'canplay', 'playing', 'waiting', 'seeked', 'pause', 'play', 'ended', 'emptied'] as const;

export function createSyncClient(o: SyncClientOptions) {
  const env = o.env ?? browserEnv();
  const ev = o.events ?? {};
  const media = o.media;
  const driftOptions: DriftOptions = { ...defaultDriftOptions, ...o.drift };
  const clock = createClockSync();
  let timeline: Timeline | undefined;
  let you: string | undefined;
  let hostId: string | undefined;
  let connection: ConnectionState = 'connecting';
  let drift = initialDriftState;
  let lastErrorS: number | undefined;
  let stalled = false;
  let reported: MemberStatus | 'joining' = 'joining';
  let lastStateAt = -Infinity;
  let bufferingTimer: TimerHandle | undefined;
  let tickTimer: TimerHandle | undefined;
  let seekIssuedAt: number | undefined;
  let playPending = false;
  /** Which entry the element holds; undefined = whatever the page loaded (the benchmark's fixed video). */
  let mediaEntry: string | undefined;
  let mediaEntryKnown = false;
  let welcomedAt: number | undefined;

  const conn = createSyncConnection({
    url: o.url, session: o.session, env, clock,
    ...(o.renewSession ? { renewSession: o.renewSession } : {}),
    ...(o.backoff ? { backoff: o.backoff } : {}),
    onFrame,
    onState(state, detail) {
      connection = state;
      ev.onConnection?.(state, detail);
    },
  });

  const snapshot = (): MediaSnapshot => ({
    currentTime: media.currentTime, paused: media.paused, playbackRate: media.playbackRate,
    readyState: media.readyState, seeking: media.seeking, ended: media.ended, duration: media.duration,
  });
  const steerable = () => timeline !== undefined && (!mediaEntryKnown || mediaEntry === timeline.entryId);

  function groupPosition(): number | undefined {
    if (!timeline) return undefined;
    const serverNow = o.mode === 'naive' ? env.now() : clock.toServer(env.now());
    return serverNow === undefined ? undefined : expectedPosition(timeline, serverNow);
  }

  function safePlay(): void {
    if (playPending) return;
    try {
      const p = media.play();
      if (p && typeof p.then === 'function') {
        playPending = true;
        p.then(
          () => { playPending = false; },
          (e: unknown) => {
            playPending = false;
            if ((e as { name?: string })?.name === 'NotAllowedError') ev.onAutoplayBlocked?.();
          },
        );
      }
    } catch { /* an element without a source: the next tick retries */ }
  }

  function perform(a: DriftAction): void {
    switch (a.kind) {
      case 'seek': seekIssuedAt = timeline?.playing ? env.now() : undefined; media.currentTime = a.to; return;
      case 'rate': media.playbackRate = a.rate; return;
      case 'play': safePlay(); return;
      case 'pause': media.pause(); return;
    }
  }

  function tick(): void {
    if (o.mode === 'naive' || !steerable()) return;
    const position = groupPosition();
    if (position === undefined || !timeline) return;
    const d = decideDrift({ playing: timeline.playing, position, rate: timeline.rate }, snapshot(), drift, env.now(), driftOptions);
    drift = d.state;
    lastErrorS = d.errorS;
    for (const a of d.actions) perform(a);
    updateStatus();
  }

  function naiveApply(): void {
    if (!timeline || !steerable() || media.readyState < 1) return;
    media.currentTime = expectedPosition(timeline, env.now());
    media.playbackRate = timeline.rate;
    if (timeline.playing) safePlay();
    else media.pause();
  }

  function loop(): void {
    tick();
    if (env.now() - lastStateAt >= STATE_EVERY_MS) {
      // The periodic report refreshes the position in presence; fresh buffering still waits for its delay.
      const s = currentStatus();
      if (s !== 'buffering' || reported === 'buffering') sendState(s);
      else if (reported !== 'joining') sendState(reported);
    }
    tickTimer = env.setTimeout(loop, TICK_MS);
  }

  const currentStatus = () => mediaStatus(snapshot(), {
    playing: timeline?.playing ?? false,
    holding: timeline !== undefined && !timeline.playing && timeline.reason === 'buffering',
  }, stalled);

  function sendState(status: MemberStatus): void {
    const position = Math.min(Math.max(0, media.currentTime || 0), MAX_POSITION_S);
    const entryId = timeline?.entryId;
    if (conn.send({ t: 'state', status, position, ...(entryId === undefined ? {} : { entryId }) })) {
      reported = status;
      lastStateAt = env.now();
    }
  }

  /** Reports status changes at once, except buffering, which must last a moment (see media-status.ts). */
  function updateStatus(): void {
    const status = currentStatus();
    if (status !== 'buffering') {
      if (bufferingTimer !== undefined) env.clearTimeout(bufferingTimer);
      bufferingTimer = undefined;
      if (status !== reported) sendState(status);
      return;
    }
    if (reported === 'buffering' || bufferingTimer !== undefined) return;
    bufferingTimer = env.setTimeout(() => {
      bufferingTimer = undefined;
      if (currentStatus() === 'buffering') sendState('buffering');
    }, BUFFERING_REPORT_DELAY_MS);
  }

  function applyTimeline(tl: Timeline, force: boolean): void {
    if (!force && timeline && tl.seq < timeline.seq) return;
    const entryChanged = timeline?.entryId !== tl.entryId || force;
    timeline = tl;
    if (entryChanged) ev.onEntry?.(tl.entryId);
    ev.onTimeline?.(tl);
    if (o.mode === 'naive') naiveApply();
    else tick();
  }

  function onFrame(f: ServerFrame): void {
    switch (f.t) {
      case 'welcome':
        welcomedAt = env.now();
        you = f.you;
        hostId = f.hostId;
        clock.seed(f.serverTime, env.now());
        reported = 'joining';
        applyTimeline(f.timeline, true);
        ev.onHost?.(f.hostId, f.you);
        ev.onPresence?.(f.members, f.wait);
        if (f.hostId === f.you && f.timeline.entryId === undefined && o.launchedEntryId) command({ t: 'cmd', op: 'load', entryId: o.launchedEntryId });
        updateStatus();
        return;
      case 'timeline':
        applyTimeline(f, false);
        return;
      case 'presence':
        ev.onPresence?.(f.members, f.wait);
        return;
      case 'host':
        hostId = f.hostId;
        if (you) ev.onHost?.(f.hostId, you);
        return;
      case 'error':
        ev.onError?.({ code: f.code, message: f.message });
        return;
      case 'pong':
        return; // the connection feeds pongs to the clock
    }
  }

  function command(frame: CmdFrame | { t: 'wait'; on: boolean }): void {
    if (!conn.send(frame)) ev.onError?.({ code: 'offline', message: 'Not connected to the watch party; try again in a moment.' });
  }

  const listeners = MEDIA_EVENTS.map((type) => {
    const fn = () => {
      if (type === 'waiting') stalled = true;
      if (type === 'playing' || type === 'canplay' || type === 'seeked' || type === 'emptied') stalled = false;
      if (type === 'seeked' && seekIssuedAt !== undefined) {
        drift = learnSeekLatency(drift, env.now() - seekIssuedAt);
        seekIssuedAt = undefined;
      }
      if (type === 'loadedmetadata' && o.mode === 'naive') naiveApply();
      if (type === 'loadedmetadata' || type === 'seeked' || type === 'canplay') tick();
      else updateStatus();
    };
    media.addEventListener(type, fn);
    return { type, fn };
  });

  const clampedPosition = (s: number) => Math.min(Math.max(0, Number.isFinite(s) ? s : 0), MAX_POSITION_S);

  return {
    start(): void {
      conn.start();
      loop();
    },
    stop(): void {
      if (tickTimer !== undefined) env.clearTimeout(tickTimer);
      if (bufferingTimer !== undefined) env.clearTimeout(bufferingTimer);
      for (const l of listeners) media.removeEventListener(l.type, l.fn);
      conn.stop();
    },
    // ---- host controls (the room refuses them from non-hosts with 'not-host') ----
    play: () => command({ t: 'cmd', op: 'play' }),
    pause: () => command({ t: 'cmd', op: 'pause', position: clampedPosition(media.currentTime) }),
    seek: (seconds: number) => command({ t: 'cmd', op: 'seek', position: clampedPosition(seconds) }),
    setRate(rate: number): void {
      if (!(rate >= MIN_RATE && rate <= MAX_RATE)) throw new RangeError(`rate must be between ${MIN_RATE} and ${MAX_RATE}`);
      command({ t: 'cmd', op: 'rate', rate });
    },
    load: (entryId: string) => command({ t: 'cmd', op: 'load', entryId }),
    setWait: (on: boolean) => command({ t: 'wait', on }),
    /** Call after a user gesture when onAutoplayBlocked fired. */
    resumePlayback(): void {
      playPending = false;
      if (timeline?.playing) safePlay();
    },
    /** Tell the engine which entry the element now holds (it steers only a matching element). */
    setMediaEntry(entryId: string | undefined): void {
      mediaEntryKnown = true;
      mediaEntry = entryId;
      tick();
    },
    groupPosition,
    get isHost(): boolean { return you !== undefined && you === hostId; },
    /** Welcomed and the clock has real samples. */
    get ready(): boolean { return conn.open && clock.size() >= 3; },
    state(): KdWatchState {
      const est = clock.estimate();
      const expected = groupPosition();
      return {
        ...(timeline?.entryId === undefined ? {} : { entryId: timeline.entryId }),
        position: media.currentTime,
        playing: timeline?.playing ?? false,
        rate: timeline?.rate ?? 1,
        offsetMs: est?.offsetMs ?? 0,
        rttMs: est?.rttMs ?? NaN,
        status: reported,
        host: you !== undefined && you === hostId,
        connection,
        ...(expected === undefined ? {} : { expected }),
        ...(lastErrorS === undefined ? {} : { errorMs: lastErrorS * 1000 }),
        seq: timeline?.seq ?? -1,
        ...(you === undefined ? {} : { you }),
        ...(hostId === undefined ? {} : { hostId }),
        ...(welcomedAt === undefined ? {} : { welcomedAt }),
      };
    },
  };
}

export type SyncClient = ReturnType<typeof createSyncClient>;
