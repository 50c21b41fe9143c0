/**
 * The retention job's deletes (`retention.*`): each call removes at most `limit` rows older than
 * `cutoff` (epoch ms) and returns how many it removed, so a caller deletes in short transactions
 * and never holds the database for long. The store's prune-history.ts.
 */
export interface HistoryRepo {
  /** Ended or failed meetings that finished before `cutoff`, with (by cascade) their tokens, grants, joins and recordings. */
  deleteMeetingsBefore(cutoff: number, limit: number): Promise<number>;
  /** Join records older than `cutoff`. */
  deleteJoinsBefore(cutoff: number, limit: number): Promise<number>;
  /** Settings audit entries older than `cutoff`. */
  deleteAuditBefore(cutoff: number, limit: number): Promise<number>;
  /** Row counts of the tables that grow with use, for `doctor`. */
  sizes(): Promise<Record<string, number>>;
}
