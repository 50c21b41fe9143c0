import type { IIdentifyThrottler } from 'discord.js';

export interface ReconnectBackoff {
  /** Wait before the second IDENTIFY in a row; doubles each time. Default 5 s. */
  readonly baseMs: number;
  /** The ceiling of the wait between two IDENTIFYs (jitter takes it down to half). Default 10 min. */
  readonly capMs: number;
  /** An IDENTIFY this long after the previous one starts again from no wait. Default 30 min. */
  readonly resetAfterMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = { baseMs: 5_000, capMs: 10 * 60_000, resetAfterMs: 30 * 60_000 };

export interface BackoffIdentifyThrottlerOptions {
  readonly backoff?: Partial<ReconnectBackoff>;
  /** 0..1 */
  readonly random?: () => number;
  readonly now?: () => number;
  /** Told before a wait, so the operator sees one line per delayed reconnect. */
  readonly onWait?: (info: { attempt: number; waitMs: number }) => void;
}

/** "Equal jitter": half the ceiling plus a random half, so never zero and never in lockstep. */
export function backoffDelay(attempt: number, backoff: ReconnectBackoff, random: () => number): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Paces IDENTIFYs with exponential backoff and jitter up to a cap. Every new gateway session goes
 * through here (a RESUME does not), so a bot that keeps being disconnected, invalidated or
 * restarted in a loop cannot burn through Discord's IDENTIFY budget: over 1,000 in 24 h resets the
 * bot token (discord-api.md §1.6). With the defaults a permanent loop makes at most ~290 a day.
 * discord.js's own throttler only keeps 5 s between IDENTIFYs of a bucket; this one is stricter
 * and serves the single shard this bot runs.
 * @see https://discord.com/developers/docs/events/gateway#session-start-limit-object
 */
export function createBackoffIdentifyThrottler(options: BackoffIdentifyThrottlerOptions = {}): IIdentifyThrottler {
  const backoff = { ...DEFAULT_RECONNECT_BACKOFF, ...options.backoff };
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  let last: number | undefined;
  let streak = 0;
  let queue: Promise<void> = Promise.resolve();

  async function wait(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const at = now();
    if (last === undefined || at - last >= backoff.resetAfterMs) streak = 0;
    if (last !== undefined && streak > 0) {
      const waitMs = last + backoffDelay(streak, backoff, random) - at;
      if (waitMs > 0) {
        options.onWait?.({ attempt: streak + 1, waitMs });
        await sleep(waitMs, signal);
      }
    }
    streak++;
    last = now();
  }

  return {
    waitForIdentify(_shardId: number, signal: AbortSignal): Promise<void> {
      const turn = queue.then(() => wait(signal));
      queue = turn.catch(() => undefined); // one at a time; an aborted wait frees the next
      return turn;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
