/**
 * The retention job's deletes (`retention.*` in the configuration): finished meetings (with, by
 * cascade, their join tokens, grants, joins and recordings), who joined, and the settings audit,
 * each older than its cutoff. Deletes run in small batches, each its own short transaction (a
 * top-level repository call), so `serve` never holds the database for long on a large one.
 * Portable SQL: `DELETE … WHERE key IN (SELECT key … LIMIT ?)` on both engines.
 */
import type { HistoryRepo } from '../core/ports/history-repo';
import type { SqlExecutor } from './sql/sql-executor';

export interface HistoryCutoffs {
  /** Ended or failed meetings that finished before this (epoch ms). */
  readonly meetingsBefore: number;
  /** Join records older than this. */
  readonly joinsBefore: number;
  /** Settings audit entries older than this. */
  readonly auditBefore: number;
}

export interface PrunedHistory {
  readonly meetings: number;
  readonly joins: number;
  readonly audit: number;
}

const BATCH = 500;
/** Tables that grow with use (doctor shows their sizes). */
const GROWING_TABLES = ['meetings', 'meeting_joins', 'settings_audit', 'webhook_inbox', 'outbox'] as const;

const run = async (sql: SqlExecutor, text: string, cutoff: number, limit: number) => (await sql.run(text, [cutoff, limit])).changes;

export function createHistoryRepo(sql: SqlExecutor): HistoryRepo {
  // meeting_joins has no key of its own: the engine's row address stands in for one.
  const joinRow = sql.dialect === 'postgres' ? 'ctid' : 'rowid';
  return {
    deleteMeetingsBefore: (cutoff, limit) =>
      run(sql, "DELETE FROM meetings WHERE id IN (SELECT id FROM meetings WHERE status IN ('ended', 'failed') AND COALESCE(ended_at, created_at) < ? LIMIT ?)", cutoff, limit),
    deleteJoinsBefore: (cutoff, limit) => run(sql, `DELETE FROM meeting_joins WHERE ${joinRow} IN (SELECT ${joinRow} FROM meeting_joins WHERE joined_at < ? LIMIT ?)`, cutoff, limit),
    deleteAuditBefore: (cutoff, limit) => run(sql, 'DELETE FROM settings_audit WHERE id IN (SELECT id FROM settings_audit WHERE at < ? LIMIT ?)', cutoff, limit),
    async sizes() {
      const sizes: Record<string, number> = {};
      for (const t of GROWING_TABLES) sizes[t] = (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))?.n ?? 0;
      return sizes;
    },
  };
}

async function inBatches(remove: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const changes = await remove(BATCH);
    total += changes;
    if (changes < BATCH) return total;
  }
}

/** Each batch is a top-level call on the store, so its own transaction: other work runs between batches. */
export async function pruneHistory(store: { readonly history: HistoryRepo }, cutoffs: HistoryCutoffs): Promise<PrunedHistory> {
  const meetings = await inBatches((n) => store.history.deleteMeetingsBefore(cutoffs.meetingsBefore, n));
  const joins = await inBatches((n) => store.history.deleteJoinsBefore(cutoffs.joinsBefore, n));
  const audit = await inBatches((n) => store.history.deleteAuditBefore(cutoffs.auditBefore, n));
  return { meetings, joins, audit };
}

/** Row counts of the tables that grow with use, for `doctor`. */
export const historySizes = (store: { readonly history: HistoryRepo }): Promise<Record<string, number>> => store.history.sizes();

const DAY_MS = 24 * 60 * 60_000;

/** The schema's defaults, for a Config built without the `retention` section (tests, older callers). */
export const DEFAULT_RETENTION = { meetingsDays: 365, joinsDays: 90, settingsAuditDays: 365, notificationsDays: 7 } as const;

export function historyCutoffs(retention: { meetingsDays: number; joinsDays: number; settingsAuditDays: number }, now: number): HistoryCutoffs {
  return { meetingsBefore: now - retention.meetingsDays * DAY_MS, joinsBefore: now - retention.joinsDays * DAY_MS, auditBefore: now - retention.settingsAuditDays * DAY_MS };
}

export const retentionMs = (days: number): number => days * DAY_MS;
