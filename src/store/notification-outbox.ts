/**
 * The outbox of Discord messages, on SQLite and PostgreSQL alike. A row is written in the same
 * transaction as the state change that caused it; its nonce is fixed then and sent on every
 * attempt. Dispatchers lease channel heads (`claimHeads`) and record outcomes only under their
 * own lease, so with several instances each message is sent by one of them at a time.
 */
import { randomBytes } from 'node:crypto';
import type { OutgoingMessage } from '../core/ports/channel-sender';
import type { NotificationOutbox, OutboxItem } from '../core/ports/notification-outbox';
import type { SqlExecutor } from './sql/sql-executor';

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

/** Each channel's oldest pending row; walks the partial index `outbox_pending (channel_id, id)`. */
const HEADS = "SELECT MIN(id) AS id FROM outbox WHERE status = 'pending' GROUP BY channel_id";

/** Only the lease holder records an outcome, and recording it frees the row. */
const OWNED = "id = ? AND status = 'pending' AND lease_owner = ?";

export interface NotificationOutboxOptions {
  /** Nonce of each new row; default `newOutboxNonce` (tests pin it). */
  readonly newNonce?: () => string;
}

export function createNotificationOutbox(sql: SqlExecutor, options: NotificationOutboxOptions = {}): NotificationOutbox {
  const newNonce = options.newNonce ?? newOutboxNonce;
  /**
   * PostgreSQL: the heads are locked as they are picked, and heads another dispatcher is
   * claiming at this moment are skipped rather than waited for.
   * @see https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE ("With
   * SKIP LOCKED, any selected rows that cannot be immediately locked are skipped. … can be used to
   * avoid lock contention with multiple consumers accessing a queue-like table.")
   * `o.status = 'pending'` is repeated on the locked row itself: for a row another transaction
   * changed and committed since this statement began, "the WHERE clause is re-evaluated to see if
   * the updated version of the row still matches" (READ COMMITTED,
   * https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED), so a head
   * just marked sent is dropped instead of sent again.
   * The pick is a MATERIALIZED CTE, run once: as `WHERE id IN (SELECT … LIMIT ? FOR UPDATE SKIP
   * LOCKED)` PostgreSQL 15 planned a nested-loop semi-join that re-ran the locking subquery for each
   * outer row and so claimed more than `limit` rows (EXPLAIN here; the store tests catch it).
   * @see https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-CTE-MATERIALIZATION
   * SQLite: one writer at a time, so the statement alone is atomic (`AS MATERIALIZED`: SQLite ≥ 3.35).
   */
  const lockHeads = sql.dialect === 'postgres' ? ' FOR UPDATE OF o SKIP LOCKED' : '';

  return {
    async enqueue(item, now) {
      const { changes } = await sql.run(
        'INSERT INTO outbox (channel_id, body, nonce, dedupe_key, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
        [item.channelId, JSON.stringify(item.message), newNonce(), item.dedupeKey, now, now],
      );
      return changes === 1;
    },

    async claimHeads(limit, owner, leaseMs, now) {
      const rows = await sql.all<OutboxRow>(
        `WITH picked AS MATERIALIZED (
           SELECT o.id FROM outbox o JOIN (${HEADS}) head ON head.id = o.id
            WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)
            ORDER BY o.next_attempt_at, o.id LIMIT ?${lockHeads})
         UPDATE outbox SET lease_owner = ?, lease_until = ?
          WHERE id IN (SELECT id FROM picked) AND status = 'pending'
          RETURNING id, channel_id, body, nonce, dedupe_key, attempts, next_attempt_at, created_at`,
        [now, now, limit, owner, now + leaseMs],
      );
      rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id); // RETURNING promises no order
      return rows.map(toItem);
    },

    async nextWakeAt(now) {
      const row = await sql.get<{ at: number | null }>(
        `SELECT MIN(CASE WHEN o.lease_until IS NOT NULL AND o.lease_until > o.next_attempt_at THEN o.lease_until ELSE o.next_attempt_at END) AS at
           FROM outbox o JOIN (${HEADS}) head ON head.id = o.id
          WHERE o.next_attempt_at > ? OR o.lease_until > ?`,
        [now, now],
      );
      return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
    },

    async releaseAll() {
      return (await sql.run("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE status = 'pending' AND lease_owner IS NOT NULL")).changes;
    },

    async release(ids, owner) {
      let released = 0;
      for (const id of ids) released += (await sql.run(`UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE ${OWNED}`, [id, owner])).changes;
      return released;
    },

    async markSent(id, owner, messageId, now) {
      const { changes } = await sql.run(`UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, lease_owner = NULL, lease_until = NULL WHERE ${OWNED}`, [messageId, now, id, owner]);
      return changes === 1;
    },

    async markRetry(id, owner, attempts, nextAttemptAt, error) {
      const { changes } = await sql.run(`UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE ${OWNED}`, [attempts, nextAttemptAt, error, id, owner]);
      return changes === 1;
    },

    async markDead(id, owner, attempts, error, now) {
      // `sent_at` stays NULL: a dead row was never sent; `next_attempt_at` records when it was given up.
      const { changes } = await sql.run(`UPDATE outbox SET status = 'dead', attempts = ?, last_error = ?, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL WHERE ${OWNED}`, [attempts, error, now, id, owner]);
      return changes === 1;
    },

    async stats(now) {
      const row = await sql.get<{ pending: number | null; dead: number | null; oldest: number | null }>(
        "SELECT COUNT(CASE WHEN status = 'pending' THEN 1 END) AS pending, COUNT(CASE WHEN status = 'dead' THEN 1 END) AS dead, MIN(CASE WHEN status = 'pending' THEN created_at END) AS oldest FROM outbox WHERE status IN ('pending', 'dead')",
      );
      const oldest = row?.oldest ?? null;
      return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0), ...(oldest !== null && { oldestPendingAgeMs: Math.max(0, now - Number(oldest)) }) };
    },

    async prune(before) {
      return (await sql.run("DELETE FROM outbox WHERE status IN ('sent', 'dead') AND created_at < ?", [before])).changes;
    },
  };
}
