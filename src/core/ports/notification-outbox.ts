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
 * Messages to post in Discord channels (SQLite), written in the same transaction as the
 * state change that caused them, and delivered by the outbox dispatcher.
 */
export interface NotificationOutbox {
  /** False when a message with the same dedupe key was enqueued before (whatever became of it). */
  enqueue(message: NewOutboxMessage, now: number): boolean;
  /**
   * The oldest pending message of each channel (due or not), earliest next attempt first. A
   * channel's later messages wait behind its head, which is what keeps channels in order.
   */
  pendingHeads(limit: number): OutboxItem[];
  markSent(id: number, messageId: string, now: number): void;
  markRetry(id: number, attempts: number, nextAttemptAt: number, error: string): void;
  /** Will never be sent: a permanent refusal, or the attempt budget is spent. */
  markDead(id: number, attempts: number, error: string, now: number): void;
  stats(now: number): OutboxStats;
  /** Forgets sent and dead messages created before `before`; returns how many. */
  prune(before: number): number;
}
