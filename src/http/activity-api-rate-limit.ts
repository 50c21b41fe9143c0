/**
 * A modest per-address limit for the token endpoint: each call costs a request to Discord with
 * the client secret, and a member needs one per Activity launch. Fixed windows per key; the
 * table is bounded so a flood of addresses cannot grow memory without end.
 */
export interface RateLimiter {
  /** True when the call may go ahead (and is counted); false when over the limit. */
  take(key: string): boolean;
  /** Seconds until `key` may call again (for Retry-After). */
  retryAfterS(key: string): number;
}

export function createRateLimiter(options: { readonly limit: number; readonly windowMs: number; readonly maxKeys?: number; readonly now?: () => number }): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();

  const current = (key: string, at: number) => {
    const w = windows.get(key);
    return w && at - w.start < options.windowMs ? w : undefined;
  };
  return {
    take(key) {
      const at = now();
      let w = current(key, at);
      if (!w) {
        if (windows.size >= maxKeys) {
          for (const [k, old] of windows) if (at - old.start >= options.windowMs) windows.delete(k);
          // still full: every key is busy in this window, so a new one waits like a busy one would
          if (windows.size >= maxKeys) return false;
        }
        w = { start: at, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= options.limit) return false;
      w.count++;
      return true;
    },
    retryAfterS(key) {
      const at = now();
      const w = current(key, at);
      return w ? Math.max(1, Math.ceil((options.windowMs - (at - w.start)) / 1000)) : 1;
    },
  };
}
