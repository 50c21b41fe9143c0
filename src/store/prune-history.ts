/**
 * The retention job's deletes (`retention.*` in the configuration): finished meetings (with, by
 * cascade, their join tokens, grants, joins and recordings), who joined, and the settings audit,
 * each older than its cutoff. Deletes run in small batches, each its own short transaction, so
 * `serve` never holds the write lock for long on a large database.
 */
import type { Database } from 'better-sqlite3';
import { prepareCached } from './prepare-cached';

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

function inBatches(db: Database, sql: string, cutoff: number): number {
  const statement = prepareCached(db, sql);
  let total = 0;
  for (;;) {
    const changes = db.transaction(() => statement.run(cutoff, BATCH).changes).immediate();
    total += changes;
    if (changes < BATCH) return total;
  }
}

export function pruneHistory(db: Database, cutoffs: HistoryCutoffs): PrunedHistory {
  const meetings = inBatches(
    db,
    "DELETE FROM meetings WHERE id IN (SELECT id FROM meetings WHERE status IN ('ended', 'failed') AND coalesce(ended_at, created_at) < ? LIMIT ?)",
    cutoffs.meetingsBefore,
  );
  const joins = inBatches(db, 'DELETE FROM meeting_joins WHERE rowid IN (SELECT rowid FROM meeting_joins WHERE joined_at < ? LIMIT ?)', cutoffs.joinsBefore);
  const audit = inBatches(db, 'DELETE FROM settings_audit WHERE id IN (SELECT id FROM settings_audit WHERE at < ? LIMIT ?)', cutoffs.auditBefore);
  return { meetings, joins, audit };
}

/** Row counts of the tables that grow with use, for `doctor`. */
export function historySizes(db: Database): Record<string, number> {
  const tables = ['meetings', 'meeting_joins', 'settings_audit', 'webhook_inbox', 'outbox'];
  const present = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]));
  const sizes: Record<string, number> = {};
  for (const t of tables) if (present.has(t)) sizes[t] = db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  return sizes;
}

const DAY_MS = 24 * 60 * 60_000;

/** The schema's defaults, for a Config built without the `retention` section (tests, older callers). */
export const DEFAULT_RETENTION = { meetingsDays: 365, joinsDays: 90, settingsAuditDays: 365, notificationsDays: 7 } as const;

export function historyCutoffs(retention: { meetingsDays: number; joinsDays: number; settingsAuditDays: number }, now: number): HistoryCutoffs {
  return { meetingsBefore: now - retention.meetingsDays * DAY_MS, joinsBefore: now - retention.joinsDays * DAY_MS, auditBefore: now - retention.settingsAuditDays * DAY_MS };
}

export const retentionMs = (days: number): number => days * DAY_MS;
