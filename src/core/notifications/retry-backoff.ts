/** Exponential backoff with jitter: attempt n waits between half and all of min(max, base·2^(n-1)). */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Discord sends: 1 s, 2 s, 4 s … capped at 5 min. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };
/** Processing a webhook event (a Kaltura lookup failed): 5 s … capped at 10 min. */
export const INBOX_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000 };

/**
 * "Equal jitter": never retries sooner than half the step (so an outage is not hammered),
 * and spreads retries of many messages that failed together.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** A short, single-line reason for the database and the log (never a stack). */
export function describeFailure(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}
