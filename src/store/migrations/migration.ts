import type { Database } from 'better-sqlite3';

/** One forward-only schema step. Its number is its position in `migrations` (1-based). */
export interface Migration {
  readonly name: string;
  up(db: Database): void;
}
