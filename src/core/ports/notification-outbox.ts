import type { OutgoingMessage } from './channel-sender';

export interface NewOutboxMessage {
  readonly channelId: string;
  readonly message: OutgoingMessage;
  /** What caused the message, e.g. `recording:<meetingId>`; one cause enqueues at most one message. */
  readonly dedupeKey: string;
}

/** A pending message as the dispatcher sees it. */
export interface OutboxItem {
  readonly id: number;
  readonly channelId: string;
  readonly message: OutgoingMessage;
  /** ≤ 25 characters, fixed when the row is written and sent on every attempt. */
  readonly nonce: string;
  readonly dedupeKey: string;
  /** Failed attempts so far. */
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
}

export interface OutboxStats {
  readonly pending: number;
  readonly dead: number;
  /** Age of the oldest pending message; absent when nothing is pending. */
  readonly oldestPendingAgeMs?: number;
}

/**
 * Messages to post in Discord channels, written in the same transaction as the state change
 * that caused them, and delivered by the outbox dispatchers (one per instance). A dispatcher
 * leases what it sends: only a channel's oldest pending message (its head) is ever leased, and
 * only while nobody else holds a live lease on it, so channels stay in order and two instances
 * never send the same message at once. A lease that runs out (its instance died) lets another
 * dispatcher take the message over; it sends it with the same nonce, so Discord does not post
 * it twice.
 */
export interface NotificationOutbox {
  /** False when a message with the same dedupe key was enqueued before (whatever became of it). */
  enqueue(message: NewOutboxMessage, now: number): Promise<boolean>;
  /**
   * Leases to `owner`, until `now + leaseMs`, up to `limit` channel heads that are due at `now`
   * and not leased to anyone until after `now`, earliest next attempt first. A channel's later
   * messages wait behind its head, which is what keeps channels in order.
   */
  claimHeads(limit: number, owner: string, leaseMs: number, now: number): Promise<OutboxItem[]>;
  /**
   * The earliest time after `now` at which a channel head becomes due or its lease runs out;
   * undefined when there is none (nothing pending, or every head is claimable or in flight).
   */
  nextWakeAt(now: number): Promise<number | undefined>;
  /**
   * Frees every lease, whoever holds it. Only for a database no other process sends from (SQLite),
   * at start: what a killed predecessor held is then sent at once instead of after its lease.
   */
  releaseAll(): Promise<number>;
  /** Gives up `owner`'s leases on these rows (a dispatcher that stopped), so anyone may send them now. */
  release(ids: readonly number[], owner: string): Promise<number>;
  /** Outcomes of a leased message; each clears the lease, and is false (nothing written) when `owner` lost it. */
  markSent(id: number, owner: string, messageId: string, now: number): Promise<boolean>;
  markRetry(id: number, owner: string, attempts: number, nextAttemptAt: number, error: string): Promise<boolean>;
  /** Will never be sent: a permanent refusal, or the attempt budget is spent. */
  markDead(id: number, owner: string, attempts: number, error: string, now: number): Promise<boolean>;
  stats(now: number): Promise<OutboxStats>;
  /** Forgets sent and dead messages created before `before`; returns how many. */
  prune(before: number): Promise<number>;
}
