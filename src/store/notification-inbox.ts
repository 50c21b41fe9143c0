/**
 * The webhook inbox in SQLite. Accepting is one INSERT on the unique dedupe key, so a
 * redelivered notification (Kaltura retries until it gets 200/204) is one ignored row.
 */
import type { Database } from 'better-sqlite3';
import type { InboxItem, NotificationInbox } from '../core/ports/notification-inbox';
import type { WebhookEvent } from '../core/ports/webhook-verifier';
import { prepareCached } from './prepare-cached';

interface InboxRow {
  id: number;
  payload: string;
  attempts: number;
  received_at: number;
}

/** `job:<id>` when Kaltura numbered the notification, else the body's hash. */
export const inboxDedupeKey = (event: WebhookEvent, rawHash: string): string =>
  event.jobId !== undefined ? `job:${event.jobId}` : `sha256:${rawHash}`;

export function acceptInboxEvent(db: Database, event: WebhookEvent, rawHash: string, now: number): 'stored' | 'duplicate' {
  const result = prepareCached(
    db,
    'INSERT INTO webhook_inbox (dedupe_key, kind, payload, next_attempt_at, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
  ).run(inboxDedupeKey(event, rawHash), event.kind, JSON.stringify(event), now, now);
  return result.changes === 1 ? 'stored' : 'duplicate';
}

/** JSON turned the schedule event's Dates into strings; this turns them back. */
function toEvent(payload: string): WebhookEvent {
  const event = JSON.parse(payload) as WebhookEvent;
  if (event.kind !== 'schedule-event.changed') return event;
  const raw = event.event as { startsAt?: string; endsAt?: string };
  return {
    ...event,
    event: {
      ...event.event,
      ...(raw.startsAt !== undefined && { startsAt: new Date(raw.startsAt) }),
      ...(raw.endsAt !== undefined && { endsAt: new Date(raw.endsAt) }),
    },
  };
}

export function listDueInboxEvents(db: Database, now: number, limit: number): InboxItem[] {
  const rows = prepareCached(
    db,
    "SELECT id, payload, attempts, received_at FROM webhook_inbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
  ).all(now, limit) as InboxRow[];
  return rows.map((r) => ({ id: r.id, event: toEvent(r.payload), attempts: r.attempts, receivedAt: r.received_at }));
}

export function markInboxDone(db: Database, id: number, now: number): void {
  prepareCached(db, "UPDATE webhook_inbox SET status = 'done', processed_at = ? WHERE id = ?").run(now, id);
}

export function markInboxRetry(db: Database, id: number, attempts: number, nextAttemptAt: number, error: string): void {
  prepareCached(db, 'UPDATE webhook_inbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?').run(attempts, nextAttemptAt, error, id);
}

export function markInboxDead(db: Database, id: number, attempts: number, error: string, now: number): void {
  prepareCached(db, "UPDATE webhook_inbox SET status = 'dead', attempts = ?, last_error = ?, processed_at = ? WHERE id = ?").run(attempts, error, now, id);
}

export function countInbox(db: Database): { pending: number; dead: number } {
  const row = prepareCached(
    db,
    "SELECT COALESCE(SUM(status = 'pending'), 0) AS pending, COALESCE(SUM(status = 'dead'), 0) AS dead FROM webhook_inbox WHERE status IN ('pending', 'dead')",
  ).get() as { pending: number; dead: number };
  return { pending: row.pending, dead: row.dead };
}

export function pruneInbox(db: Database, before: number): number {
  return prepareCached(db, "DELETE FROM webhook_inbox WHERE status IN ('done', 'dead') AND received_at < ?").run(before).changes;
}

export function createNotificationInbox(db: Database): NotificationInbox {
  return {
    accept: (event, rawHash, now) => acceptInboxEvent(db, event, rawHash, now),
    listDue: (now, limit) => listDueInboxEvents(db, now, limit),
    markDone: (id, now) => markInboxDone(db, id, now),
    markRetry: (id, attempts, nextAttemptAt, error) => markInboxRetry(db, id, attempts, nextAttemptAt, error),
    markDead: (id, attempts, error, now) => markInboxDead(db, id, attempts, error, now),
    counts: () => countInbox(db),
    prune: (before) => pruneInbox(db, before),
  };
}
