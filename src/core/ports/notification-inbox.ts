import type { WebhookEvent } from './webhook-verifier';

/** A webhook event as stored, waiting to be (or having been) processed. */
export interface InboxItem {
  readonly id: number;
  readonly event: WebhookEvent;
  /** Failed processing attempts so far. */
  readonly attempts: number;
  readonly receivedAt: number;
}

/**
 * Webhook events received and not yet acted on. Accepting is one INSERT on a unique dedupe key,
 * so a redelivered notification is recognised, never stored twice. Several instances may process
 * the inbox at once: `claimDue` leases events to one owner atomically, and the outcome is
 * recorded only while that owner still holds the lease (a lease that ran out belongs to whoever
 * claimed the event next). Processing an event twice is harmless anyway (a recording is
 * remembered once, a meeting ends once), so the lease only saves work.
 */
export interface NotificationInbox {
  /**
   * Stores the event unless one with the same key exists. The key is the notification job id,
   * or `rawHash` (hex SHA-256 of the raw body) when the event carries none.
   */
  accept(event: WebhookEvent, rawHash: string, now: number): Promise<'stored' | 'duplicate'>;
  /**
   * Leases up to `limit` pending events that are due at `now` and not leased to anyone until
   * after `now`, oldest due first, to `owner` until `now + leaseMs`.
   */
  claimDue(limit: number, owner: string, leaseMs: number, now: number): Promise<InboxItem[]>;
  /** Frees every lease, whoever holds it: at start, on a database no other process works on (SQLite). */
  releaseAll(): Promise<number>;
  /** The outcome of a claimed event; each is false (nothing written) when `owner` lost the lease. */
  markDone(id: number, owner: string, now: number): Promise<boolean>;
  /** Records a failed attempt; the event is tried again at `nextAttemptAt`. */
  markRetry(id: number, owner: string, attempts: number, nextAttemptAt: number, error: string): Promise<boolean>;
  /** Gives up on the event (kept for inspection until pruned). */
  markDead(id: number, owner: string, attempts: number, error: string, now: number): Promise<boolean>;
  counts(): Promise<{ readonly pending: number; readonly dead: number }>;
  /** Forgets done and dead events received before `before` (redeliveries older than that are not expected). */
  prune(before: number): Promise<number>;
}
