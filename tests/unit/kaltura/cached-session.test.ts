import { describe, expect, it } from 'vitest';
import { createCachedSession } from '../../../src/kaltura/cached-session';

describe('createCachedSession', () => {
  it('issues once for concurrent callers, reuses until the renewal point, then renews', async () => {
    let now = 1_000_000;
    let issued = 0;
    const cache = createCachedSession(
      async () => {
        issued++;
        await new Promise((r) => setTimeout(r, 5));
        return { ks: `ks-${issued}`, expiresAtMs: now + 3_600_000 };
      },
      { now: () => now },
      300_000,
    );
    const burst = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    expect(new Set(burst)).toEqual(new Set(['ks-1']));
    now += 3_600_000 - 300_001;
    expect(await cache.get()).toBe('ks-1');
    now += 2;
    expect(await cache.get()).toBe('ks-2');
    expect(issued).toBe(2);
  });

  it('drops the KS on invalidate, but only if it is the current one', async () => {
    let n = 0;
    const cache = createCachedSession(async () => ({ ks: `ks-${++n}`, expiresAtMs: Date.now() + 3_600_000 }), { now: () => Date.now() }, 1000);
    expect(await cache.get()).toBe('ks-1');
    cache.invalidate('ks-other');
    expect(await cache.get()).toBe('ks-1');
    cache.invalidate('ks-1');
    expect(await cache.get()).toBe('ks-2');
  });

  it('does not cache a failed issue', async () => {
    let fail = true;
    const cache = createCachedSession(
      async () => {
        if (fail) throw new Error('boom');
        return { ks: 'ok', expiresAtMs: Date.now() + 3_600_000 };
      },
      { now: () => Date.now() },
      1000,
    );
    await expect(cache.get()).rejects.toThrow('boom');
    fail = false;
    expect(await cache.get()).toBe('ok');
  });
});
