import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestPostgresDatabase } from '../../helpers/stores';

describe('the test PostgreSQL cluster', () => {
  it('hands out isolated databases that are gone after drop', async () => {
    const a = await createTestPostgresDatabase();
    const b = await createTestPostgresDatabase();
    expect(a.url).not.toBe(b.url);
    const client = new pg.Client({ connectionString: a.url });
    const ended = new Promise((resolve) => client.on('error', resolve)); // terminated by the forced drop
    await client.connect();
    await client.query('CREATE TABLE t (id int)');
    await client.query('INSERT INTO t VALUES (1)');
    expect((await client.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(1);
    // A pool left open must not keep the database alive.
    await a.drop();
    await ended;
    const other = new pg.Client({ connectionString: b.url });
    await other.connect();
    const exists = await other.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [a.name]);
    expect(exists.rows[0].n).toBe(0);
    await expect(other.query('SELECT * FROM t')).rejects.toThrow(/does not exist/);
    await other.end();
    await b.drop();
  });
});
