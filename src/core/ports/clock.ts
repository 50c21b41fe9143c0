/**
 * Time and randomness as ports, so that expiry logic and token generation can be driven
 * by tests (KS renewal near expiry, reproducible KS test vectors).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Returns `size` cryptographically strong random bytes. */
export type RandomBytes = (size: number) => Uint8Array;

export const systemClock: Clock = { now: () => Date.now() };
