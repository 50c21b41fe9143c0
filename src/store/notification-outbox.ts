/**
 * The outbox of Discord messages in SQLite. A row is written in the same transaction as the
 * state change that caused it; its nonce is fixed then and sent on every attempt.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { OutgoingMessage } from '../core/ports/channel-sender';
import type { NewOutboxMessage, NotificationOutbox, OutboxItem, OutboxStats } from '../core/ports/notification-outbox';
import { prepareCached } from './prepare-cached';

interface OutboxRow {
  id: number;
  channel_id: string;
  body: string;
  nonce: string;
  dedupe_key: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

/** 96 random bits, 16 characters: unique across databases too (a restored backup must not reuse one). */
export const newOutboxNonce = (): string => randomBytes(12).toString('base64url');

export function enqueueOutboxMessage(db: Database, item: NewOutboxMessage, now: number): boolean {
  const result = prepareCached(
    db,
    'INSERT INTO outbox (channel_id, body, nonce, dedupe_key, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
  ).run(item.channelId, JSON.stringify(item.message), newOutboxNonce(), item.dedupeKey, now, now);
  return result.changes === 1;
}

const toItem = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  channelId: r.channel_id,
  message: JSON.parse(r.body) as OutgoingMessage,
  nonce: r.nonce,
  dedupeKey: r.dedupe_key,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
});

/** The inner query walks the partial index `outbox_pending (channel_id, id)`: one MIN per channel. */
export function listOutboxHeads(db: Database, limit: number): OutboxItem[] {
  const rows = prepareCached(
    db,
    `SELECT o.* FROM outbox o
       JOIN (SELECT MIN(id) AS id FROM outbox WHERE status = 'pending' GROUP BY channel_id) AS head ON head.id = o.id
      ORDER BY o.next_attempt_at, o.id LIMIT ?`,
  ).all(limit) as OutboxRow[];
  return rows.map(toItem);
}

export function markOutboxSent(db: Database, id: number, messageId: string, now: number): void {
  prepareCached(db, "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ? WHERE id = ? AND status = 'pending'").run(messageId, now, id);
}

export function markOutboxRetry(db: Database, id: number, attempts: number, nextAttemptAt: number, error: string): void {
  prepareCached(db, "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'").run(attempts, nextAttemptAt, error, id);
}

export function markOutboxDead(db: Database, id: number, attempts: number, error: string, now: number): void {
  // `sent_at` stays NULL: a dead row was never sent; `next_attempt_at` records when it was given up.
  prepareCached(db, "UPDATE outbox SET status = 'dead', attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'").run(attempts, error, now, id);
}

export function outboxStats(db: Database, now: number): OutboxStats {
  const row = prepareCached(
    db,
    "SELECT COALESCE(SUM(status = 'pending'), 0) AS pending, COALESCE(SUM(status = 'dead'), 0) AS dead, MIN(CASE WHEN status = 'pending' THEN created_at END) AS oldest FROM outbox WHERE status IN ('pending', 'dead')",
  ).get() as { pending: number; dead: number; oldest: number | null };
  return { pending: row.pending, dead: row.dead, ...(row.oldest !== null && { oldestPendingAgeMs: Math.max(0, now - row.oldest) }) };
}

export function pruneOutbox(db: Database, before: number): number {
  return prepareCached(db, "DELETE FROM outbox WHERE status IN ('sent', 'dead') AND created_at < ?").run(before).changes;
}

export function createNotificationOutbox(db: Database): NotificationOutbox {
  return {
    enqueue: (item, now) => enqueueOutboxMessage(db, item, now),
    pendingHeads: (limit) => listOutboxHeads(db, limit),
    markSent: (id, messageId, now) => markOutboxSent(db, id, messageId, now),
    markRetry: (id, attempts, nextAttemptAt, error) => markOutboxRetry(db, id, attempts, nextAttemptAt, error),
    markDead: (id, attempts, error, now) => markOutboxDead(db, id, attempts, error, now),
    stats: (now) => outboxStats(db, now),
    prune: (before) => pruneOutbox(db, before),
  };
}
