/**
 * The webhook inbox, on SQLite and PostgreSQL alike. Accepting is one INSERT on the unique
 * dedupe key, so a redelivered notification (Kaltura retries until it gets 200/204) is one
 * ignored row. Claiming is one UPDATE … RETURNING, so two instances never claim the same event
 * (on PostgreSQL the candidate rows are locked with `FOR UPDATE SKIP LOCKED`; SQLite has one
 * writer at a time).
 */
import type { InboxItem, NotificationInbox } from '../core/ports/notification-inbox';
import type { WebhookEvent } from '../core/ports/webhook-verifier';
import type { SqlExecutor } from './sql/sql-executor';

interface InboxRow {
  id: number;
  payload: string;
  attempts: number;
  received_at: number;
  next_attempt_at: number;
}

/** `job:<id>` when Kaltura numbered the notification, else the body's hash. */
export const inboxDedupeKey = (event: WebhookEvent, rawHash: string): string =>
  event.jobId !== undefined ? `job:${event.jobId}` : `sha256:${rawHash}`;

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

/**
 * @see https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE — "With SKIP
 * LOCKED, any selected rows that cannot be immediately locked are skipped", so a second claimer passes
 * over the rows another one is claiming instead of waiting for (and then re-reading) them.
 */
const skipLocked = (sql: SqlExecutor): string => (sql.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '');

export function createNotificationInbox(sql: SqlExecutor): NotificationInbox {
  return {
    async accept(event, rawHash, now) {
      const { changes } = await sql.run(
        'INSERT INTO webhook_inbox (dedupe_key, kind, payload, next_attempt_at, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
        [inboxDedupeKey(event, rawHash), event.kind, JSON.stringify(event), now, now],
      );
      return changes === 1 ? 'stored' : 'duplicate';
    },

    async claimDue(limit, owner, leaseMs, now) {
      // a MATERIALIZED CTE runs the locking pick once (see claimHeads in notification-outbox.ts)
      const rows = await sql.all<InboxRow>(
        `WITH picked AS MATERIALIZED (
           SELECT id FROM webhook_inbox
            WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
            ORDER BY next_attempt_at, id LIMIT ?${skipLocked(sql)})
         UPDATE webhook_inbox SET lease_owner = ?, lease_until = ?
          WHERE id IN (SELECT id FROM picked) AND status = 'pending'
          RETURNING id, payload, attempts, received_at, next_attempt_at`,
        [now, now, limit, owner, now + leaseMs],
      );
      // RETURNING promises no order
      rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
      return rows.map((r): InboxItem => ({ id: r.id, event: toEvent(r.payload), attempts: r.attempts, receivedAt: r.received_at }));
    },

    async releaseAll() {
      return (await sql.run("UPDATE webhook_inbox SET lease_owner = NULL, lease_until = NULL WHERE status = 'pending' AND lease_owner IS NOT NULL")).changes;
    },

    async markDone(id, owner, now) {
      const { changes } = await sql.run(
        "UPDATE webhook_inbox SET status = 'done', processed_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'pending' AND lease_owner = ?",
        [now, id, owner],
      );
      return changes === 1;
    },

    async markRetry(id, owner, attempts, nextAttemptAt, error) {
      const { changes } = await sql.run(
        "UPDATE webhook_inbox SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'pending' AND lease_owner = ?",
        [attempts, nextAttemptAt, error, id, owner],
      );
      return changes === 1;
    },

    async markDead(id, owner, attempts, error, now) {
      const { changes } = await sql.run(
        "UPDATE webhook_inbox SET status = 'dead', attempts = ?, last_error = ?, processed_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'pending' AND lease_owner = ?",
        [attempts, error, now, id, owner],
      );
      return changes === 1;
    },

    async counts() {
      const row = await sql.get<{ pending: number | null; dead: number | null }>(
        "SELECT COUNT(CASE WHEN status = 'pending' THEN 1 END) AS pending, COUNT(CASE WHEN status = 'dead' THEN 1 END) AS dead FROM webhook_inbox WHERE status IN ('pending', 'dead')",
      );
      return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0) };
    },

    async prune(before) {
      return (await sql.run("DELETE FROM webhook_inbox WHERE status IN ('done', 'dead') AND received_at < ?", [before])).changes;
    },
  };
}
