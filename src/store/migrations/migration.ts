/**
 * One forward-only schema step, written once for both engines. Its number is its position in
 * `migrations` (1-based).
 *
 * `sql` is SQLite DDL (and plain DML); `toPostgresDdl` (src/store/sql/to-postgres-ddl.ts) turns it
 * into PostgreSQL: STRICT / WITHOUT ROWID dropped, `INTEGER PRIMARY KEY` → an identity column,
 * `INTEGER` → `BIGINT`, `unixepoch('subsec') * 1000` → epoch ms. Where SQLite and PostgreSQL
 * cannot share a text (random ids, date formatting), `postgres` gives the PostgreSQL text instead;
 * the translator refuses the SQLite-only constructs it knows, so an override is never forgotten.
 */
export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly postgres?: string;
}
