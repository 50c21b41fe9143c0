/**
 * `db migrate-to-postgres`: every table of a SQLite database copied into a PostgreSQL database at
 * the same schema, in one PostgreSQL transaction (all or nothing), then verified by counting each
 * table on both sides before COMMIT. The SQLite side is read in one read transaction, so the copy
 * is a consistent snapshot even if something writes meanwhile (what is written after is not
 * carried over: stop `serve` first).
 */
import type { Database } from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { holdClient } from './sql/hold-client';
import { StoreError } from './store-error';

/**
 * Every table, parents before children (foreign keys hold at every insert). A table missing from
 * this list is refused rather than skipped; tests/integration/store/migrate-to-postgres.test.ts
 * compares it with the schema.
 */
export const COPY_ORDER = [
  'app_meta',
  'meetings',
  'join_tokens',
  'join_grants',
  'meeting_joins',
  'meeting_recordings',
  'webhook_inbox',
  'outbox',
  'guild_settings',
  'settings_audit',
  'guild_categories',
  'kaltura_cleanup_jobs',
  'watch_links',
  'activity_launches',
] as const;

/** Rows the migration itself seeds (001's installation facts): replaced by the source's. */
const SEEDED = new Set(['app_meta']);

export interface CopiedTable {
  readonly table: string;
  readonly rows: number;
}

export interface CopyOptions {
  /** Empty the target's tables first (else a target holding data is refused). */
  readonly replace?: boolean;
  /** Told after each table. */
  readonly onTable?: (copied: CopiedTable) => void;
}

/** Parameters per INSERT stay well under PostgreSQL's limit of 65,535. */
const MAX_PARAMS = 30_000;

export async function copySqliteToPostgres(db: Database, pool: Pool, options: CopyOptions = {}): Promise<CopiedTable[]> {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[]);
  const unknown = tables.filter((t) => !(COPY_ORDER as readonly string[]).includes(t));
  if (unknown.length > 0) throw new StoreError(`the SQLite database has tables this release does not know how to copy: ${unknown.join(', ')}`);
  const present = COPY_ORDER.filter((t) => tables.includes(t));

  const client = await pool.connect();
  const held = holdClient(client);
  db.prepare('BEGIN').run(); // a read snapshot of the SQLite file for the whole copy
  try {
    await client.query('BEGIN');
    try {
      await client.query("SET LOCAL statement_timeout = '30min'");
      await prepareTarget(client, present, options.replace ?? false);
      const copied: CopiedTable[] = [];
      for (const table of present) {
        const rows = await copyTable(db, client, table);
        const counted = await countRows(client, table);
        const expected = (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);
        if (rows !== expected || counted !== expected) {
          throw new StoreError(`${table}: ${expected} rows in SQLite, ${counted} in PostgreSQL after the copy; nothing was kept`);
        }
        copied.push({ table, rows: counted });
        options.onTable?.({ table, rows: counted });
      }
      await resetIdentities(client, present);
      await client.query('COMMIT');
      return copied;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => held.markBroken(e));
      throw err;
    }
  } finally {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    held.release();
  }
}

async function prepareTarget(client: PoolClient, tables: readonly string[], replace: boolean): Promise<void> {
  const holding: string[] = [];
  for (const t of tables) if (!SEEDED.has(t) && (await countRows(client, t)) > 0) holding.push(t);
  if (holding.length > 0 && !replace) {
    throw new StoreError(`the PostgreSQL database already holds data (${holding.join(', ')}); pass --force to replace it`);
  }
  // One TRUNCATE of all of them: foreign keys between them are no obstacle, and it is transactional.
  await client.query(`TRUNCATE ${tables.join(', ')}`);
}

async function countRows(client: PoolClient, table: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

async function copyTable(db: Database, client: PoolClient, table: string): Promise<number> {
  const columns = (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table) as string[]);
  const perInsert = Math.max(1, Math.min(500, Math.floor(MAX_PARAMS / columns.length)));
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  // safeIntegers: 64-bit integers arrive exactly (as bigint) and go to PostgreSQL as text.
  const read = db.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).raw(true).safeIntegers(true);
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => `$${params.push(typeof value === 'bigint' ? value.toString() : value)}`).join(', ')})`);
    const result = await client.query(head + tuples.join(', '), params);
    copied += result.rowCount ?? 0;
    batch = [];
  };
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length >= perInsert) await flush();
  }
  await flush();
  return copied;
}

/** Identity columns continue after the copied ids, as SQLite's rowid would. */
async function resetIdentities(client: PoolClient, tables: readonly string[]): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
  );
  for (const { table_name: table, column_name: column } of rows) {
    if (!tables.includes(table)) continue;
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${column}) FROM ${table}), 0) + 1, false)`, [table, column]);
  }
}
