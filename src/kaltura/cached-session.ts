/**
 * A KS kept until shortly before it expires, fetched by one caller at a time (concurrent
 * callers share the pending fetch, so a burst of calls starts one session, not many).
 */
import type { Clock } from '../core/ports/clock';

export interface IssuedSession {
  readonly ks: string;
  /** Absolute expiry, ms since the epoch. */
  readonly expiresAtMs: number;
}

export interface CachedSession {
  get(): Promise<string>;
  /** Drops the cached KS if it is `ks` (e.g. the server answered INVALID_KS). */
  invalidate(ks: string): void;
}

export function createCachedSession(
  issue: () => Promise<IssuedSession>,
  clock: Clock,
  renewBeforeMs: number,
): CachedSession {
  let current: { ks: string; renewAtMs: number } | undefined;
  let pending: Promise<string> | undefined;
  return {
    get() {
      if (current && clock.now() < current.renewAtMs) return Promise.resolve(current.ks);
      pending ??= (async () => {
        try {
          const issuedAt = clock.now();
          const session = await issue();
          // renew early, but never later than half-way through a short-lived session
          const margin = Math.min(renewBeforeMs, (session.expiresAtMs - issuedAt) / 2);
          current = { ks: session.ks, renewAtMs: session.expiresAtMs - margin };
          return session.ks;
        } finally {
          pending = undefined;
        }
      })();
      return pending;
    },
    invalidate(ks) {
      if (current?.ks === ks) current = undefined;
    },
  };
}
