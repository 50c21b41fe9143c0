/**
 * Delivers the outbox to Discord: in order within a channel, several channels at once, from
 * every instance that shares the database.
 *
 * - Order: only a channel's oldest pending message (its head) is ever claimed; the next one
 *   becomes the head when it is `sent` or `dead`. A channel in backoff waits; others do not.
 * - One sender at a time: a claim leases the head to this dispatcher (`owner`) for `leaseMs`;
 *   nobody else claims a row under a live lease, and an outcome is recorded only under the
 *   lease it was claimed with. A dispatcher that dies (process killed) leaves its leases to run
 *   out; then another dispatcher claims the rows and finishes them.
 * - At most once: a crash (or a lease that ran out) after Discord accepted a message but before
 *   it was marked `sent` leaves it pending, and the next attempt carries the same nonce, which
 *   Discord (with `enforce_nonce`) answers with the message it already has.
 * - Failures: retryable ones are tried again with exponential backoff and jitter; a
 *   permanent refusal (no access, unknown channel) or a spent attempt budget makes the row
 *   `dead`, logged at warn, and the channel moves on.
 */
import { randomBytes } from 'node:crypto';
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
  /** Lease owner, unique per running dispatcher; default `outbox/<random>` (the app uses `<instance id>/<random>`). */
  readonly owner?: string;
  /**
   * The only dispatcher on its database (SQLite: one process): leases found at start were left by a
   * killed predecessor and are freed, so its unfinished sends resume at once. Default false.
   */
  readonly exclusive?: boolean;
  /** How long a claimed message is ours; default 60 s (a send is bounded well below that). */
  readonly leaseMs?: number;
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
  /** Something was enqueued and committed: look now rather than at the next timer. Safe to call any time. */
  kick(): void;
  /** Stops taking new rows and waits (bounded) for sends in flight; every row stays consistent. */
  stop(): Promise<void>;
  /** Sends in flight right now. */
  readonly inFlight: number;
  readonly owner: string;
}

export const OUTBOX_MAX_ATTEMPTS = 30;
export const OUTBOX_LEASE_MS = 60_000;

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { outbox, sender, clock, logger } = options;
  const owner = options.owner ?? `outbox/${randomBytes(4).toString('hex')}`;
  const leaseMs = Math.max(1, options.leaseMs ?? OUTBOX_LEASE_MS);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const policy = options.backoff ?? OUTBOX_BACKOFF;
  const maxAttempts = Math.max(1, options.maxAttempts ?? OUTBOX_MAX_ATTEMPTS);
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const idlePollMs = options.idlePollMs ?? 30_000;
  const random = options.random ?? Math.random;

  /** channelId -> the send in flight to it (one per channel is what keeps the order). */
  const inFlight = new Map<string, { readonly id: number; readonly task: Promise<void> }>();
  let running = false;
  let scheduled = false;
  let pumping: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  /** Bumped when stop() stops waiting: sends of an older generation must not write any more. */
  let generation = 0;
  let recovered = !options.exclusive;

  function kick(): void {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!running || pumping) return;
      pumping = pump()
        .catch((err: unknown) => {
          logger.error({ err }, 'could not read the notification outbox; will retry');
          arm(idlePollMs);
        })
        .finally(() => {
          pumping = undefined;
          if (again) {
            again = false;
            kick();
          }
        });
    });
  }

  function arm(delayMs: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, delayMs);
    timer.unref();
  }

  async function pump(): Promise<void> {
    if (!recovered) {
      const freed = await outbox.releaseAll();
      if (freed > 0) logger.info({ freed }, 'resuming notifications a stopped process was sending (same nonce: none is posted twice)');
      recovered = true;
    }
    const gen = generation;
    const free = concurrency - inFlight.size;
    const now = clock.now();
    const claimed = free > 0 ? await outbox.claimHeads(free, owner, leaseMs, now) : [];
    if (!running || gen !== generation) {
      await outbox.release(claimed.map((c) => c.id), owner); // stopped meanwhile: anyone may send them now
      return;
    }
    for (const item of claimed) {
      // The same row again: its lease ran out during a long send and we renewed it; that send settles it.
      // (A different row of a channel still in flight means the earlier one is already settled.)
      if (inFlight.get(item.channelId)?.id === item.id) continue;
      send(item);
    }
    // Sending: each completion pumps again, and the pass that finds nothing to claim sets the timer.
    if (claimed.length > 0 || free === 0) return arm(idlePollMs);
    const wakeAt = await outbox.nextWakeAt(now);
    arm(wakeAt === undefined ? idlePollMs : Math.min(idlePollMs, Math.max(0, wakeAt - now)));
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
      if (gen !== generation) return; // stop() gave up waiting and released the row; it is re-sent with its nonce
      if (failed) await settleFailure(item, failure);
      else await settleSent(item, messageId!);
    })()
      .catch((err: unknown) => logger.error({ err, outboxId: item.id }, 'could not record the outcome of a notification send; it stays pending'))
      .finally(() => {
        if (inFlight.get(item.channelId)?.task === task) inFlight.delete(item.channelId);
        kick();
      });
    inFlight.set(item.channelId, { id: item.id, task });
  }

  function lostLease(item: OutboxItem, outcome: string): void {
    // Our lease ran out and another dispatcher claimed the row: it sends it again with the same nonce.
    logger.info({ outboxId: item.id, channelId: item.channelId, outcome }, 'a notification was taken over by another dispatcher before its outcome was recorded');
  }

  async function settleSent(item: OutboxItem, messageId: string): Promise<void> {
    if (!(await outbox.markSent(item.id, owner, messageId, clock.now()))) return lostLease(item, 'sent');
    logger.debug({ outboxId: item.id, channelId: item.channelId, messageId, attempts: item.attempts + 1 }, 'notification sent');
  }

  async function settleFailure(item: OutboxItem, err: unknown): Promise<void> {
    const now = clock.now();
    const attempts = item.attempts + 1;
    const reason = describeFailure(err);
    const permanent = err instanceof UpstreamError && !err.retryable;
    const log = { outboxId: item.id, channelId: item.channelId, dedupeKey: item.dedupeKey, attempts, reason };
    if (permanent || attempts >= maxAttempts) {
      if (!(await outbox.markDead(item.id, owner, attempts, reason, now))) return lostLease(item, 'dead');
      options.metrics?.outboxDeadLetter();
      if (permanent) logger.warn(log, 'Discord refused a notification for good (no access to the channel, missing permissions, or it is gone); dropped it');
      else logger.warn(log, `a notification failed ${attempts} times; gave up on it`);
      return;
    }
    const delay = backoffDelay(attempts, policy, random);
    if (!(await outbox.markRetry(item.id, owner, attempts, now + delay, reason))) return lostLease(item, 'retry');
    options.metrics?.outboxRetry();
    logger.info({ ...log, retryInMs: delay }, 'a notification could not be sent; will retry');
  }

  return {
    owner,
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
      const waiting = [pumping, ...[...inFlight.values()].map((f) => f.task)].filter((p) => p !== undefined);
      if (waiting.length === 0) return;
      let waitTimer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.allSettled(waiting).then(() => true),
        new Promise<boolean>((resolve) => {
          waitTimer = setTimeout(() => resolve(false), stopTimeoutMs);
        }),
      ]);
      clearTimeout(waitTimer);
      if (finished) return;
      generation++;
      const abandoned = [...inFlight.values()].map((f) => f.id);
      inFlight.clear();
      logger.warn({ inFlight: abandoned.length }, 'stopped before every notification send finished; those stay pending and are re-sent (same nonce) by the next dispatcher');
      // Free them now rather than when the lease runs out (a restart then resends at once).
      await outbox.release(abandoned, owner).catch((err: unknown) => logger.warn({ err }, 'could not release the unfinished notifications; they are re-sent when their lease runs out'));
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
