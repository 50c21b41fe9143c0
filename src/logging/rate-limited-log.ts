import type { Logger } from '../core/logger';

export type RateLimitedLevel = 'info' | 'warn' | 'error';

export interface RateLimitedLogOptions {
  readonly logger: Logger;
  /** Lines of one kind written per window; the rest are counted. Default 10. */
  readonly limit?: number;
  /** Default 60 s. */
  readonly windowMs?: number;
  readonly now?: () => number;
}

/** Writes `msg` unless its kind has already been written `limit` times in the current window. */
export type RateLimitedLog = (level: RateLimitedLevel, kind: string, fields: Record<string, unknown>, msg: string) => void;

/**
 * For lines a stranger can cause at will (refused join links, refused webhooks): the first
 * `limit` of each kind per window are written, the rest only counted, and one summary line
 * ("suppressed K similar …") closes a window that dropped any. A flood of garbage requests then
 * writes a few lines a minute instead of filling the disk, while a lone refusal is still seen.
 */
export function createRateLimitedLog(options: RateLimitedLogOptions): RateLimitedLog {
  const { logger } = options;
  const limit = options.limit ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const kinds = new Map<string, { windowStart: number; written: number; suppressed: number; level: RateLimitedLevel; timer?: NodeJS.Timeout }>();

  const summarise = (kind: string) => {
    const state = kinds.get(kind);
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    if (state.suppressed > 0) {
      logger[state.level]({ kind, suppressed: state.suppressed, windowSeconds: Math.round(windowMs / 1000) }, `suppressed ${state.suppressed} similar lines: ${kind}`);
    }
    kinds.delete(kind);
  };

  return (level, kind, fields, msg) => {
    const at = now();
    let state = kinds.get(kind);
    if (state && at - state.windowStart >= windowMs) {
      summarise(kind);
      state = undefined;
    }
    if (!state) {
      state = { windowStart: at, written: 0, suppressed: 0, level };
      kinds.set(kind, state);
    }
    if (state.written < limit) {
      state.written++;
      logger[level](fields, msg);
      return;
    }
    state.suppressed++;
    if (!state.timer) {
      // the summary comes at the window's end even if the flood stops
      state.timer = setTimeout(() => summarise(kind), Math.max(0, state.windowStart + windowMs - at));
      state.timer.unref();
    }
  };
}
