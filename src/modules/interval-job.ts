import type { Logger } from '../core/logger';
import type { Leadership } from '../core/ports/leadership';
import type { Job } from './feature-module';

export interface IntervalJobOptions {
  readonly name: string;
  readonly leaderOnly: boolean;
  readonly everyMs: number;
  /** Run a pass as soon as the job starts (e.g. bring cards up to date after downtime). */
  readonly runAtStart: boolean;
  readonly leadership: Leadership;
  readonly logger: Logger;
  /** One pass. Its own failures should be logged by it; anything it throws is logged here and retried next time. */
  run(): Promise<unknown>;
}

export interface IntervalJob extends Job {
  /** Runs a pass now (still only on the leader, for a leader-only job); joins the pass in flight if any. */
  trigger(): Promise<void>;
}

/**
 * A job that runs `run` every `everyMs`, never two passes at once. A leader-only job asks
 * `leadership.isLeader()` before each pass, so when leadership moves to another instance this
 * one stops running it at its next pass and the new leader starts at its own.
 */
export function defineIntervalJob(options: IntervalJobOptions): IntervalJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (options.leaderOnly && !options.leadership.isLeader()) return Promise.resolve();
    running ??= options
      .run()
      .then(
        () => undefined,
        (err: unknown) => options.logger.warn({ err, job: options.name }, `${options.name} failed; will retry`),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    name: options.name,
    leaderOnly: options.leaderOnly,
    start() {
      if (timer || stopped) return;
      if (options.runAtStart) void pass();
      timer = setInterval(() => void pass(), options.everyMs);
      timer.unref();
    },
    trigger: pass,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

