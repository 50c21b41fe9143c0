import type { Logger } from '../logger';
import type { Leadership } from '../ports/leadership';

/** Same shape as the feature modules' `Job` (src/modules): started on every instance; a leader-only one checks leadership before each pass. */
export interface NotificationJob {
  readonly name: string;
  readonly leaderOnly: boolean;
  start(): void;
  stop(): Promise<void>;
}

export interface PeriodicJobOptions {
  readonly name: string;
  /** Passes run only while this instance leads (checked before each pass: leadership moves). */
  readonly leaderOnly: boolean;
  readonly everyMs: number;
  readonly pass: () => Promise<unknown>;
  readonly leadership: Leadership;
  readonly logger: Logger;
  readonly onStart?: () => void;
  /** Resolves when work started outside the timer is done too (awaited by `stop`). */
  readonly onStop?: () => Promise<unknown>;
}

/** A job that runs `pass` at start (work left from before a restart) and every `everyMs`; a failed pass is logged and retried next time. */
export function periodicJob(options: PeriodicJobOptions): NotificationJob {
  const { name, leaderOnly, leadership, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | undefined;
  const tick = () => {
    if (leaderOnly && !leadership.isLeader()) return;
    current = options.pass().catch((err: unknown) => logger.error({ err, job: name }, 'notification housekeeping failed; will retry'));
  };
  return {
    name,
    leaderOnly,
    start() {
      if (timer) return;
      options.onStart?.();
      tick();
      timer = setInterval(tick, options.everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await Promise.allSettled([current, options.onStop?.()]);
    },
  };
}
