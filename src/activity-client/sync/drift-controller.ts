/**
 * Keeps one media element on the group's timeline. Pure: given where the group is (target) and
 * what the element reports, it returns the actions to take and its next state.
 *
 * Small errors are closed by nudging playbackRate (proportional, capped, with hysteresis so it
 * neither chases noise nor oscillates); a seek happens only past a threshold, aims ahead by the
 * measured seek latency (playback resumes where we aimed only after the seek completes), and is
 * followed by a cooldown so a wrong latency guess cannot cause a seek loop.
 */

export interface MediaSnapshot {
  readonly currentTime: number;
  readonly paused: boolean;
  readonly playbackRate: number;
  /** HTMLMediaElement.readyState: 0 nothing, 1 metadata, 2 current data, 3 future data, 4 enough. */
  readonly readyState: number;
  readonly seeking: boolean;
  readonly ended: boolean;
  readonly duration: number;
}

export interface DriftTarget {
  readonly playing: boolean;
  /** Where the group is at this instant (seconds). */
  readonly position: number;
  readonly rate: number;
}

export interface DriftOptions {
  /** Past this error (s) seek instead of nudging the rate. */
  readonly seekThresholdS: number;
  /** Start rate correction above this error (s)… */
  readonly engageS: number;
  /** …and stop below this one (hysteresis). */
  readonly releaseS: number;
  /** Rate correction per second of error (1/s): correction = gain × error, capped. */
  readonly gain: number;
  /** Largest relative rate change (0.1 = ±10%). */
  readonly maxCorrection: number;
  /** A paused element further than this from the group's position is moved (s). */
  readonly pausedToleranceS: number;
  /** After a seek, no other seek for this long unless the error is huge (ms). */
  readonly seekCooldownMs: number;
}

export const defaultDriftOptions: DriftOptions = {
  seekThresholdS: 0.3,
  engageS: 0.012,
  releaseS: 0.004,
  // τ = 1/gain = 0.4 s: a 100 ms slip (a decoder starved of CPU) is mostly gone within a second.
  gain: 2.5,
  maxCorrection: 0.12,
  pausedToleranceS: 0.02,
  seekCooldownMs: 1000,
};

export interface DriftState {
  readonly correcting: boolean;
  /** Local ms of the last seek we issued (-Infinity: never). */
  readonly lastSeekAt: number;
  /** Learned time from setting currentTime to playback resuming there (ms). */
  readonly seekLatencyMs: number;
}

export const initialDriftState: DriftState = { correcting: false, lastSeekAt: -Infinity, seekLatencyMs: 80 };

export type DriftAction =
  | { readonly kind: 'seek'; readonly to: number }
  | { readonly kind: 'rate'; readonly rate: number }
  | { readonly kind: 'play' }
  | { readonly kind: 'pause' };

export interface DriftDecision {
  readonly actions: readonly DriftAction[];
  readonly state: DriftState;
  /** media − target in seconds (positive: ahead of the group); undefined when not comparable. */
  readonly errorS: number | undefined;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Rates are only rewritten when they change by more than this, to avoid churning the decoder. */
const RATE_EPSILON = 0.002;

export function decideDrift(
  target: DriftTarget, media: MediaSnapshot, state: DriftState, now: number, o: DriftOptions = defaultDriftOptions,
): DriftDecision {
  if (media.readyState < 1) return { actions: [], state, errorS: undefined }; // no metadata yet: nothing to steer
  const end = Number.isFinite(media.duration) && media.duration > 0 ? media.duration : Infinity;
  const want = clamp(target.position, 0, end);
  const errorS = media.currentTime - want;
  const actions: DriftAction[] = [];
  const setRate = (rate: number) => {
    if (Math.abs(media.playbackRate - rate) > RATE_EPSILON) actions.push({ kind: 'rate', rate });
  };
  const seek = (to: number): DriftState => {
    actions.push({ kind: 'seek', to: clamp(to, 0, end) });
    return { ...state, correcting: false, lastSeekAt: now };
  };

  if (!target.playing) {
    if (!media.paused) actions.push({ kind: 'pause' });
    setRate(target.rate);
    const next = Math.abs(errorS) > o.pausedToleranceS && !media.seeking ? seek(want) : { ...state, correcting: false };
    return { actions, state: next, errorS };
  }

  if (want >= end) return { actions: [], state, errorS }; // the group is past the end: let the element end
  const abs = Math.abs(errorS);
  const cooled = now - state.lastSeekAt >= o.seekCooldownMs || abs > 4 * o.seekThresholdS;
  if (abs > o.seekThresholdS && (media.seeking ? abs > 2 * o.seekThresholdS : cooled)) {
    // Aim where the group will be once the seek has completed.
    const next = seek(want + (state.seekLatencyMs / 1000) * target.rate);
    if (media.paused) actions.push({ kind: 'play' });
    setRate(target.rate);
    return { actions, state: next, errorS };
  }
  if (media.seeking) return { actions, state, errorS };
  if (media.paused && !media.ended) actions.push({ kind: 'play' });

  const correcting = state.correcting ? abs > o.releaseS : abs > o.engageS;
  const correction = correcting ? clamp(errorS * o.gain, -o.maxCorrection, o.maxCorrection) : 0;
  setRate(target.rate * (1 - correction));
  return { actions, state: correcting === state.correcting ? state : { ...state, correcting }, errorS };
}

/** Folds one measured seek latency (ms) into the estimate (EWMA, bounded). */
export function learnSeekLatency(state: DriftState, measuredMs: number): DriftState {
  if (!Number.isFinite(measuredMs) || measuredMs < 0) return state;
  const ms = clamp(state.seekLatencyMs * 0.6 + Math.min(measuredMs, 2000) * 0.4, 0, 2000);
  return { ...state, seekLatencyMs: ms };
}
