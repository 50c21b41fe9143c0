/**
 * Arithmetic of the sync benchmark. Each page records [wall ms, currentTime s, moving 0|1, rate]
 * every 50 ms on its own timer; to compare two pages at one instant T we take each page's last
 * sample before T and advance it by (T − sampleTime) × rate when it was moving — exact for a playing
 * element between samples, and no smoothing across a seek (a jump shows up as the error it is).
 */
export type Sample = readonly [wall: number, position: number, moving: number, rate: number];

const MAX_GAP_MS = 150;

export function positionAt(samples: readonly Sample[], t: number): number | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 0 || samples[0]![0] > t) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (samples[mid]![0] <= t) lo = mid;
    else hi = mid - 1;
  }
  const [wall, pos, moving, rate] = samples[lo]!;
  if (t - wall > MAX_GAP_MS) return undefined;
  return moving ? pos + ((t - wall) / 1000) * rate : pos;
}

/** |a − b| in ms at T, or undefined when either has no recent sample. */
export function diffAt(a: readonly Sample[], b: readonly Sample[], t: number): number | undefined {
  const pa = positionAt(a, t);
  const pb = positionAt(b, t);
  return pa === undefined || pb === undefined ? undefined : Math.abs(pa - pb) * 1000;
}

/** All pairwise |differences| (ms) on a 50 ms grid over [from, to), skipping instants inside `skip` windows. */
export function pairwiseDiffs(
  series: readonly (readonly Sample[])[], from: number, to: number, skip: readonly (readonly [number, number])[] = [],
): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t += 50) {
    if (skip.some(([s, e]) => t >= s && t < e)) continue;
    for (let i = 0; i < series.length; i++) {
      for (let j = i + 1; j < series.length; j++) {
        const d = diffAt(series[i]!, series[j]!, t);
        if (d !== undefined) out.push(d);
      }
    }
  }
  return out;
}

/** ms after `from` until `a` is within `withinMs` of `b` and stays so for `holdMs`; undefined if never before `until`. */
export function timeToConverge(
  a: readonly Sample[], b: readonly Sample[], from: number, until: number, withinMs = 150, holdMs = 1000,
): number | undefined {
  let since: number | undefined;
  for (let t = from; t < until; t += 50) {
    const d = diffAt(a, b, t);
    if (d !== undefined && d < withinMs) {
      since ??= t;
      if (t - since >= holdMs) return since - from;
    } else since = undefined;
  }
  return undefined;
}
