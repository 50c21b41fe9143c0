import type { Database } from 'better-sqlite3';

/** Reads one installation fact, e.g. `installation_id`. */
export function getAppMeta(db: Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM app_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setAppMeta(db: Database, key: string, value: string, now = Date.now()): void {
  db.prepare(
    'INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, value, now);
}
