import type { Migration } from './migration';

/**
 * Installation facts (id, creation time, last version that opened the file). The installation
 * id is a random UUID (version 4 layout); SQLite has no UUID function, so it is put together
 * from `randomblob`, and PostgreSQL's text uses `gen_random_uuid()` (core since PostgreSQL 13).
 * `created_at` is ISO 8601 in UTC with milliseconds, as JavaScript's `toISOString()` writes it.
 */
export const initial: Migration = {
  name: 'initial',
  sql: `
    CREATE TABLE app_meta (
      key        TEXT PRIMARY KEY NOT NULL,
      value      TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    INSERT INTO app_meta (key, value, updated_at)
      SELECT 'installation_id',
             lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' ||
                   substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
             CAST(unixepoch('subsec') * 1000 AS INTEGER)
        FROM (SELECT hex(randomblob(16)) AS h);
    INSERT INTO app_meta (key, value, updated_at)
      VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), CAST(unixepoch('subsec') * 1000 AS INTEGER));
  `,
  postgres: `
    CREATE TABLE app_meta (
      key        TEXT PRIMARY KEY NOT NULL,
      value      TEXT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    INSERT INTO app_meta (key, value, updated_at) VALUES
      ('installation_id', gen_random_uuid()::text, floor(extract(epoch FROM statement_timestamp()) * 1000)),
      ('created_at', to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       floor(extract(epoch FROM statement_timestamp()) * 1000));
  `,
};
