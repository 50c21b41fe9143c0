import { expect } from 'vitest';
import type { KdState, OpenedActivity } from './activity-harness';

/** "In sync" for the end-to-end tests: every member within half a second of the others (the benchmark measures the real figure). */
export const IN_SYNC_S = 0.5;

/** One member's state with the wall-clock time the page read it (all pages share this machine's clock). */
const stamped = (p: OpenedActivity) =>
  p.activity.locator('body').evaluate(() => ({ s: (globalThis as unknown as { kdWatch?: { state(): KdState } }).kdWatch?.state(), at: Date.now() }));

/**
 * Each member's position at one instant: read in parallel, each stamped in its page when read, then advanced
 * to a common time by its rate when playing (so a slow round trip to one page does not count as drift).
 */
export async function spread(pages: readonly OpenedActivity[]): Promise<{ spread: number; positions: number[] }> {
  const states = await Promise.all(pages.map(stamped));
  const now = Math.max(...states.map((x) => x.at));
  const positions = states.map(({ s, at }) => (s ? s.position + (s.playing ? ((now - at) / 1000) * s.rate : 0) : Number.NaN));
  return { spread: Math.max(...positions) - Math.min(...positions), positions };
}

/** Waits (bounded by `withinMs`) until everyone is within IN_SYNC_S, then checks they stay so over a few samples. */
export async function expectInSync(pages: readonly OpenedActivity[], what: string, withinMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  let last = await spread(pages);
  while (!(last.spread < IN_SYNC_S) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    last = await spread(pages);
  }
  expect(last.spread, `${what}: positions ${last.positions.join(', ')}`).toBeLessThan(IN_SYNC_S);
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const sample = await spread(pages);
    expect(sample.spread, `${what} (kept): positions ${sample.positions.join(', ')}`).toBeLessThan(IN_SYNC_S);
  }
  return last.positions;
}
