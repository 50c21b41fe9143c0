import { describe, expect, it, vi } from 'vitest';
import { createBackoffIdentifyThrottler } from '../../../src/discord/gateway/backoff-identify-throttler';

describe('IDENTIFY backoff: a reconnect loop cannot burn through the daily IDENTIFY budget', () => {
  it('waits longer before each IDENTIFY in a row, with jitter, up to the cap; a long quiet spell starts over', async () => {
    vi.useFakeTimers();
    try {
      const waits: number[] = [];
      const throttler = createBackoffIdentifyThrottler({
        backoff: { baseMs: 5_000, capMs: 60_000, resetAfterMs: 10 * 60_000 },
        random: () => 1, // the top of each jitter range, so the numbers are exact
        now: () => Date.now(),
        onWait: ({ waitMs }) => waits.push(waitMs),
      });
      const signal = new AbortController().signal;
      const identify = async () => {
        const p = throttler.waitForIdentify(0, signal);
        await vi.runAllTimersAsync();
        await p;
      };
      for (let i = 0; i < 7; i++) await identify();
      expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);

      // a session that lived past resetAfterMs: the next IDENTIFY goes at once
      vi.advanceTimersByTime(10 * 60_000);
      waits.length = 0;
      await identify();
      expect(waits).toEqual([]);
      await identify();
      expect(waits).toEqual([5_000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a permanent loop stays far under 1,000 IDENTIFYs a day with the defaults', async () => {
    vi.useFakeTimers();
    try {
      const throttler = createBackoffIdentifyThrottler({ random: () => 0, now: () => Date.now() });
      const signal = new AbortController().signal;
      const start = Date.now();
      let count = 0;
      while (Date.now() - start < 24 * 3_600_000) {
        const p = throttler.waitForIdentify(0, signal);
        await vi.runAllTimersAsync();
        await p;
        count++;
      }
      expect(count).toBeLessThan(1_000 / 2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a wait is abandoned as soon as the shard closes or the bot stops', async () => {
    const throttler = createBackoffIdentifyThrottler({ backoff: { baseMs: 60_000 } });
    const stop = new AbortController();
    await throttler.waitForIdentify(0, stop.signal);
    const second = throttler.waitForIdentify(0, stop.signal);
    stop.abort(new Error('stopping'));
    await expect(second).rejects.toThrow('stopping');
  });
});
