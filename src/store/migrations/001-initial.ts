import type { Migration } from './migration';

/** Installation facts (id, creation time, last version that opened the file). */
export const initial: Migration = {
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE app_meta (
        key        TEXT PRIMARY KEY NOT NULL,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
    const now = Date.now();
    const put = db.prepare('INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?)');
    put.run('installation_id', crypto.randomUUID(), now);
    put.run('created_at', new Date(now).toISOString(), now);
  },
};
