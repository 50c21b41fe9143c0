/**
 * Reconnect delays: exponential from `baseMs`, capped, with "equal jitter" (half fixed, half random)
 * so a room whose server restarted does not reconnect in lock-step. The cap is low on purpose:
 * after a network cut the goal is to be back in sync within 2 s of the network returning, so no
 * retry may sleep much longer than a second.
 */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 150, capMs: 1000 };

/** Delay before retry number `attempt` (0 = first retry). `random` ∈ [0, 1). */
export function backoffDelay(attempt: number, random: number, o: BackoffOptions = defaultBackoff): number {
  const exp = Math.min(o.capMs, o.baseMs * 2 ** Math.min(Math.max(0, attempt), 20));
  return Math.round(exp / 2 + (exp / 2) * Math.min(Math.max(random, 0), 1));
}
