import { describe, expect, it } from 'vitest';
import { createClockSync, sampleOf } from '../../../../src/activity-client/sync/clock-sync.js';
import {
  decideDrift, defaultDriftOptions, initialDriftState, learnSeekLatency, type MediaSnapshot,
} from '../../../../src/activity-client/sync/drift-controller.js';
import { backoffDelay } from '../../../../src/activity-client/sync/reconnect-backoff.js';

describe('clock sync', () => {
  it('computes the NTP offset and round trip of one exchange', () => {
    // client sends at 1000 (local), server receives at 5010 and answers at 5012, client receives at 1030.
    expect(sampleOf(1000, 5010, 5012, 1030)).toEqual({ offset: 3996, rtt: 28, at: 1030 });
    expect(sampleOf(1000, 5010, 5009, 1030)).toBeUndefined(); // server answered before it received
    expect(sampleOf(1000, 5010, 5012, 990)).toBeUndefined(); // negative round trip
  });

  it('trusts the fastest exchanges, so queued pings with long, lopsided delays do not move it', () => {
    const clock = createClockSync();
    const trueOffset = 2500;
    let local = 10_000;
    const exchange = (up: number, down: number) => {
      const t0 = local;
      const t1 = t0 + trueOffset + up;
      const t2 = t1 + 1;
      const t3 = t2 - trueOffset + down;
      clock.add(t0, t1, t2, t3);
      local += 500;
    };
    exchange(10, 10);
    exchange(11, 9);
    exchange(400, 5); // a ping stuck behind something: off by ~200 ms on its own
    exchange(9, 12);
    exchange(5, 900);
    exchange(10, 11);
    const est = clock.estimate()!;
    expect(Math.abs(est.offsetMs - trueOffset)).toBeLessThan(2);
    expect(est.rttMs).toBe(20);
    expect(clock.toServer(20_000)).toBeCloseTo(20_000 + est.offsetMs, 6);
  });

  it('starts from the welcome’s server time and forgets samples that are too old', () => {
    const clock = createClockSync({ maxAgeMs: 1000 });
    expect(clock.toServer(5)).toBeUndefined();
    clock.seed(9000, 1000);
    expect(clock.estimate()).toMatchObject({ offsetMs: 8000, samples: 0 });
    clock.add(1000, 9005, 9005, 1010);
    expect(clock.estimate()!.offsetMs).toBe(8000);
    clock.add(5000, 13_100, 13_100, 5010); // 4 s later the route changed; the old sample ages out
    expect(clock.estimate()).toMatchObject({ offsetMs: 8095, samples: 1 });
  });
});

const media = (over: Partial<MediaSnapshot> = {}): MediaSnapshot => ({
  currentTime: 10, paused: false, playbackRate: 1, readyState: 4, seeking: false, ended: false, duration: 180, ...over,
});
const play = (position: number, rate = 1) => ({ playing: true, position, rate });
/** The single rate action's value (float arithmetic: compare with toBeCloseTo). */
const onlyRate = (actions: readonly { kind: string }[]) => {
  expect(actions).toHaveLength(1);
  expect(actions[0]!.kind).toBe('rate');
  return (actions[0] as unknown as { rate: number }).rate;
};

describe('drift controller', () => {
  it('slows down when ahead and speeds up when behind, proportionally and capped', () => {
    const ahead = decideDrift(play(9.96), media(), initialDriftState, 0);
    expect(ahead.errorS).toBeCloseTo(0.04, 6);
    expect(onlyRate(ahead.actions)).toBeCloseTo(1 - 0.04 * defaultDriftOptions.gain, 9);
    const behind = decideDrift(play(10.2, 1.5), media({ playbackRate: 1.5 }), initialDriftState, 0);
    expect(onlyRate(behind.actions)).toBeCloseTo(1.5 * (1 + defaultDriftOptions.maxCorrection), 9);
  });

  it('does not chase noise and lets go only well inside the band (hysteresis)', () => {
    const quiet = decideDrift(play(10.01), media(), initialDriftState, 0); // 10 ms: not worth a rate change
    expect(quiet.actions).toEqual([]);
    expect(quiet.state.correcting).toBe(false);
    const engaged = decideDrift(play(10.03), media(), initialDriftState, 0);
    expect(engaged.state.correcting).toBe(true);
    const still = decideDrift(play(10.01), media({ playbackRate: 1.045 }), engaged.state, 100); // 10 ms behind: keep correcting
    expect(still.state.correcting).toBe(true);
    expect(onlyRate(still.actions)).toBeCloseTo(1 + 0.01 * defaultDriftOptions.gain, 9);
    const done = decideDrift(play(10.003), media({ playbackRate: 1.015 }), still.state, 200);
    expect(done.state.correcting).toBe(false);
    expect(done.actions).toEqual([{ kind: 'rate', rate: 1 }]);
  });

  it('seeks past the threshold, aiming ahead by the learned seek latency, then cools down', () => {
    const state = { ...initialDriftState, seekLatencyMs: 120 };
    const far = decideDrift(play(30, 2), media({ playbackRate: 2 }), state, 5000);
    expect(far.actions).toEqual([{ kind: 'seek', to: 30 + 0.12 * 2 }]);
    expect(far.state.lastSeekAt).toBe(5000);
    // 600 ms later still 0.5 s off (the latency guess was wrong): nudge the rate, do not seek again yet.
    const soon = decideDrift(play(31.5, 2), media({ currentTime: 31, playbackRate: 2 }), far.state, 5600);
    expect(onlyRate(soon.actions)).toBeCloseTo(2 * (1 + defaultDriftOptions.maxCorrection), 9);
    const later = decideDrift(play(31.5, 2), media({ currentTime: 31, playbackRate: 2 }), far.state, 6100);
    expect(later.actions[0]).toMatchObject({ kind: 'seek' });
    expect(learnSeekLatency(state, 220).seekLatencyMs).toBeCloseTo(160, 6);
    expect(learnSeekLatency(state, Number.NaN)).toBe(state);
  });

  it('holds a paused group exactly at its position and starts a paused element when the group plays', () => {
    const paused = decideDrift({ playing: false, position: 42, rate: 1 }, media({ currentTime: 41.5 }), initialDriftState, 0);
    expect(paused.actions).toEqual([{ kind: 'pause' }, { kind: 'seek', to: 42 }]);
    const start = decideDrift(play(42.01), media({ currentTime: 42, paused: true }), initialDriftState, 0);
    expect(start.actions).toEqual([{ kind: 'play' }]);
  });

  it('waits for metadata and lets an element that reached the end stay there', () => {
    expect(decideDrift(play(5), media({ readyState: 0 }), initialDriftState, 0)).toEqual({ actions: [], state: initialDriftState, errorS: undefined });
    expect(decideDrift(play(200), media({ currentTime: 180, ended: true, paused: true }), initialDriftState, 0).actions).toEqual([]);
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially with jitter and never sleeps past the cap', () => {
    expect(backoffDelay(0, 0)).toBe(75);
    expect(backoffDelay(0, 0.999)).toBe(150);
    expect(backoffDelay(2, 0.5)).toBe(450);
    for (let n = 0; n < 50; n++) expect(backoffDelay(n, 0.999)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(10, 0)).toBe(500);
  });
});
