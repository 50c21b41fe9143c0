/**
 * NTP-style estimate of the server clock from ping/pong samples (RFC 5905 §8 on-wire arithmetic):
 *   offset = ((t1 - t0) + (t2 - t3)) / 2,  rtt = (t3 - t0) - (t2 - t1)
 * where t0/t3 are our send/receive times and t1/t2 the server's receive/send times.
 * The error of one sample is at most rtt/2, so the estimate comes from the lowest-RTT samples of a
 * recent window (a queued or retransmitted ping has a long RTT and is simply outvoted), taking the
 * median of their offsets so a single odd sample cannot move it.
 */

export interface ClockSample {
  readonly offset: number;
  readonly rtt: number;
  /** Local time the pong arrived (t3), for ageing samples out. */
  readonly at: number;
}

export interface ClockEstimate {
  /** serverTime ≈ localTime + offsetMs */
  readonly offsetMs: number;
  readonly rttMs: number;
  readonly samples: number;
}

export interface ClockSyncOptions {
  /** How many recent samples to keep. */
  readonly window?: number;
  /** How many of the lowest-RTT samples vote. */
  readonly best?: number;
  /** Samples older than this (local ms) are dropped: clocks drift and routes change. */
  readonly maxAgeMs?: number;
}

export function sampleOf(t0: number, t1: number, t2: number, t3: number): ClockSample | undefined {
  const rtt = t3 - t0 - (t2 - t1);
  // A negative RTT means the stamps are inconsistent (clock jump, forged pong): not a sample.
  if (!Number.isFinite(rtt) || rtt < 0 || t2 < t1) return undefined;
  return { offset: (t1 - t0 + (t2 - t3)) / 2, rtt, at: t3 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export function createClockSync(options: ClockSyncOptions = {}) {
  const window = options.window ?? 24;
  const best = options.best ?? 5;
  const maxAgeMs = options.maxAgeMs ?? 120_000;
  let samples: ClockSample[] = [];
  let estimate: ClockEstimate | undefined;

  function recompute(now: number): void {
    samples = samples.filter((s) => now - s.at <= maxAgeMs).slice(-window);
    if (samples.length === 0) {
      estimate = undefined;
      return;
    }
    const voters = [...samples].sort((a, b) => a.rtt - b.rtt).slice(0, best);
    estimate = { offsetMs: median(voters.map((s) => s.offset)), rttMs: voters[0]!.rtt, samples: samples.length };
  }

  return {
    /** Adds one pong; returns false when the stamps were unusable. */
    add(t0: number, t1: number, t2: number, t3: number): boolean {
      const s = sampleOf(t0, t1, t2, t3);
      if (!s) return false;
      samples.push(s);
      recompute(t3);
      return true;
    },
    /**
     * A first guess from the welcome's serverTime before any pong (assumes the frame took no time:
     * off by one-way latency, corrected by the first samples a few hundred ms later).
     */
    seed(serverTime: number, localNow: number): void {
      if (!estimate) estimate = { offsetMs: serverTime - localNow, rttMs: NaN, samples: 0 };
    },
    estimate: (): ClockEstimate | undefined => estimate,
    /** Server ms for a local time; undefined until seeded or sampled. */
    toServer(localNow: number): number | undefined {
      return estimate ? localNow + estimate.offsetMs : undefined;
    },
    size: () => samples.length,
  };
}

export type ClockSync = ReturnType<typeof createClockSync>;
