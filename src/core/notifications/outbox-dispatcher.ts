/**
 * Delivers the outbox to Discord: in order within a channel, several channels at once.
 *
 * - Order: only a channel's oldest pending message is ever sent; the next one waits until
 *   it is `sent` or `dead`. A channel in backoff waits; other channels do not.
 * - At most once: nothing is marked "sending". A crash after Discord accepted a message but
 *   before it was marked `sent` leaves it pending, and the next attempt carries the same
 *   nonce, which Discord (with `enforce_nonce`) answers with the message it already has.
 * - Failures: retryable ones are tried again with exponential backoff and jitter; a
 *   permanent refusal (no access, unknown channel) or a spent attempt budget makes the row
 *   `dead`, logged at warn, and the channel moves on.
 */
import type { Logger } from '../logger';
import type { ChannelSender } from '../ports/channel-sender';
import type { Clock } from '../ports/clock';
import type { MetricsRecorder } from '../ports/metrics';
import type { NotificationOutbox, OutboxItem } from '../ports/notification-outbox';
import { UpstreamError } from '../ports/upstream-error';
import { backoffDelay, describeFailure, OUTBOX_BACKOFF, type BackoffPolicy } from './retry-backoff';

export interface OutboxDispatcherOptions {
  readonly outbox: NotificationOutbox;
  readonly sender: ChannelSender;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Channels sent to at the same time; default 4. discord.js queues per route and waits on 429s. */
  readonly concurrency?: number;
  /** Default 1 s doubling to 5 min. */
  readonly backoff?: BackoffPolicy;
  /** Attempts before a retryable failure becomes `dead`; default 30 (about two hours of retrying). */
  readonly maxAttempts?: number;
  /** How long `stop()` waits for sends in flight; default 10 s. */
  readonly stopTimeoutMs?: number;
  /** Longest sleep while idle, to notice rows written by another process; default 30 s. */
  readonly idlePollMs?: number;
  readonly random?: () => number;
  /** Counts retries and dead letters; optional. */
  readonly metrics?: Pick<MetricsRecorder, 'outboxRetry' | 'outboxDeadLetter'>;
}

export interface OutboxDispatcher {
  /** Starts delivering (pending rows from before a restart included). */
  start(): void;
  /** Something was enqueued: look now rather than at the next timer. Safe to call any time. */
  kick(): void;
  /** Stops taking new rows and waits (bounded) for sends in flight; every row stays consistent. */
  stop(): Promise<void>;
  /** Sends in flight right now. */
  readonly inFlight: number;
}

export const OUTBOX_MAX_ATTEMPTS = 30;
/** Channel heads looked at per pass; more channels than this are served on later passes. */
const HEADS_PER_PASS = 200;

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { outbox, sender, clock, logger } = options;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const policy = options.backoff ?? OUTBOX_BACKOFF;
  const maxAttempts = Math.max(1, options.maxAttempts ?? OUTBOX_MAX_ATTEMPTS);
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const idlePollMs = options.idlePollMs ?? 30_000;
  const random = options.random ?? Math.random;

  /** channelId -> the send in flight to it (one per channel is what keeps the order). */
  const inFlight = new Map<string, Promise<void>>();
  let running = false;
  let scheduled = false;
  let timer: NodeJS.Timeout | undefined;
  /** Bumped when stop() stops waiting: sends of an older generation must not write any more. */
  let generation = 0;

  function kick(): void {
    if (!running || scheduled) return;
    scheduled = true;
    setImmediate(pump);
  }

  function arm(delayMs: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, delayMs);
    timer.unref();
  }

  function pump(): void {
    scheduled = false;
    if (!running) return;
    const now = clock.now();
    let heads: OutboxItem[];
    try {
      heads = outbox.pendingHeads(HEADS_PER_PASS);
    } catch (err) {
      logger.error({ err }, 'could not read the notification outbox; will retry');
      arm(idlePollMs);
      return;
    }
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const head of heads) {
      if (inFlight.has(head.channelId)) continue; // its completion pumps again
      if (head.nextAttemptAt > now) {
        wakeAt = Math.min(wakeAt, head.nextAttemptAt);
        continue;
      }
      if (inFlight.size >= concurrency) break; // a completion frees a slot and pumps again
      send(head);
    }
    arm(Math.min(idlePollMs, Math.max(0, wakeAt - now)));
  }

  function send(item: OutboxItem): void {
    const gen = generation;
    const task = (async () => {
      let messageId: string | undefined;
      let failure: unknown;
      let failed = false;
      try {
        messageId = await sender.send(item.channelId, item.message, item.nonce);
      } catch (err) {
        failed = true;
        failure = err;
      }
      if (gen !== generation) return; // stop() gave up waiting; the row stays pending and is re-sent with its nonce
      if (failed) settleFailure(item, failure);
      else settleSent(item, messageId!);
    })()
      .catch((err: unknown) => logger.error({ err, outboxId: item.id }, 'could not record the outcome of a notification send; it stays pending'))
      .finally(() => {
        if (inFlight.get(item.channelId) === task) inFlight.delete(item.channelId);
        kick();
      });
    inFlight.set(item.channelId, task);
  }

  function settleSent(item: OutboxItem, messageId: string): void {
    outbox.markSent(item.id, messageId, clock.now());
    logger.debug({ outboxId: item.id, channelId: item.channelId, messageId, attempts: item.attempts + 1 }, 'notification sent');
  }

  function settleFailure(item: OutboxItem, err: unknown): void {
    const now = clock.now();
    const attempts = item.attempts + 1;
    const reason = describeFailure(err);
    const permanent = err instanceof UpstreamError && !err.retryable;
    const log = { outboxId: item.id, channelId: item.channelId, dedupeKey: item.dedupeKey, attempts, reason };
    if (permanent) {
      outbox.markDead(item.id, attempts, reason, now);
      options.metrics?.outboxDeadLetter();
      logger.warn(log, 'Discord refused a notification for good (no access to the channel, missing permissions, or it is gone); dropped it');
      return;
    }
    if (attempts >= maxAttempts) {
      outbox.markDead(item.id, attempts, reason, now);
      options.metrics?.outboxDeadLetter();
      logger.warn(log, `a notification failed ${attempts} times; gave up on it`);
      return;
    }
    const delay = backoffDelay(attempts, policy, random);
    outbox.markRetry(item.id, attempts, now + delay, reason);
    options.metrics?.outboxRetry();
    logger.info({ ...log, retryInMs: delay }, 'a notification could not be sent; will retry');
  }

  return {
    start() {
      if (running) return;
      running = true;
      kick();
    },
    kick,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const tasks = [...inFlight.values()];
      if (tasks.length === 0) return;
      let waitTimer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.allSettled(tasks).then(() => true),
        new Promise<boolean>((resolve) => {
          waitTimer = setTimeout(() => resolve(false), stopTimeoutMs);
        }),
      ]);
      clearTimeout(waitTimer);
      if (!finished) {
        generation++;
        logger.warn({ inFlight: inFlight.size }, 'stopped before every notification send finished; those stay pending and are re-sent (same nonce) on the next start');
        inFlight.clear();
      }
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
