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
 * Webhook events received and not yet acted on (SQLite). Accepting is one INSERT on a unique
 * dedupe key, so a redelivered notification is recognised, never stored twice.
 */
export interface NotificationInbox {
  /**
   * Stores the event unless one with the same key exists. The key is the notification job id,
   * or `rawHash` (hex SHA-256 of the raw body) when the event carries none.
   */
  accept(event: WebhookEvent, rawHash: string, now: number): 'stored' | 'duplicate';
  /** Pending events whose next attempt is due, oldest first. */
  listDue(now: number, limit: number): InboxItem[];
  markDone(id: number, now: number): void;
  /** Records a failed attempt; the event is tried again at `nextAttemptAt`. */
  markRetry(id: number, attempts: number, nextAttemptAt: number, error: string): void;
  /** Gives up on the event (kept for inspection until pruned). */
  markDead(id: number, attempts: number, error: string, now: number): void;
  counts(): { readonly pending: number; readonly dead: number };
  /** Forgets done and dead events received before `before` (redeliveries older than that are not expected). */
  prune(before: number): number;
}
