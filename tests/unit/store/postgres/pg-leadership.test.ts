import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgLeadership, type PgLeadership } from '../../../../src/store/postgres/pg-leadership';
import { captureLogger } from '../../../helpers/capture-logger';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../../../helpers/stores';
import { until } from '../../../helpers/until';

const opened: { close(): Promise<void> }[] = [];
const databases: TestPostgresDatabase[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
  for (const d of databases.splice(0)) await d.drop();
});

async function database(): Promise<TestPostgresDatabase> {
  const d = await createTestPostgresDatabase();
  databases.push(d);
  return d;
}

async function leadership(url: string, instanceId: string, logger = captureLogger().logger): Promise<PgLeadership> {
  const l = await createPgLeadership({ url, instanceId, logger, retryMs: 50 });
  opened.push(l);
  return l;
}

/** Which connection holds an advisory lock in this database, as PostgreSQL sees it. */
async function lockHolder(url: string): Promise<{ pid: number; name: string } | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number; name: string }>(
      `SELECT l.pid, a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(rows.length).toBeLessThanOrEqual(1);
    return rows[0];
  } finally {
    await c.end();
  }
}

async function terminate(url: string, pid: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('SELECT pg_terminate_backend($1)', [pid]);
  await c.end();
}

describe('PostgreSQL leadership (advisory lock)', () => {
  it('makes exactly one of two instances the leader, the one whose connection holds the lock', async () => {
    const { url } = await database();
    const a = await leadership(url, 'instance-a');
    const b = await leadership(url, 'instance-b');
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(a.instanceId).toBe('instance-a');
    expect((await lockHolder(url))?.name).toBe('kaltura-discord leader instance-a');
  });

  it('hands leadership to the other instance when the leader\'s connection is killed, and logs the loss', async () => {
    const { url } = await database();
    const logA = captureLogger();
    const a = await leadership(url, 'instance-a', logA.logger);
    const b = await leadership(url, 'instance-b');
    const holder = await lockHolder(url);
    expect(holder?.name).toBe('kaltura-discord leader instance-a');
    await terminate(url, holder!.pid);
    await until('instance-b to lead', () => b.isLeader());
    expect(a.isLeader()).toBe(false);
    expect(logA.lines.some((l) => l.msg === 'leadership lost')).toBe(true);
    expect((await lockHolder(url))?.name).toBe('kaltura-discord leader instance-b');
    // The old leader reconnects as a follower; it never leads while b holds the lock.
    for (let i = 0; (await countConnections(url, 'kaltura-discord leader instance-a')) !== 1; i++) {
      if (i > 200) throw new Error('instance-a did not reconnect');
      await new Promise((r) => setTimeout(r, 25));
    }
    expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
  });

  it('passes leadership on when the leader closes', async () => {
    const { url } = await database();
    const a = await leadership(url, 'instance-a');
    const b = await leadership(url, 'instance-b');
    expect(a.isLeader()).toBe(true);
    await a.close();
    expect(a.isLeader()).toBe(false);
    await until('instance-b to lead', () => b.isLeader());
  });

  it('refuses to start without a reachable database, saying so', async () => {
    const { url } = await database();
    const bad = new URL(url);
    bad.pathname = '/kd_no_such_database';
    await expect(createPgLeadership({ url: bad.toString(), instanceId: 'x', logger: captureLogger().logger })).rejects.toThrow(
      /leadership: could not connect to PostgreSQL: .*kd_no_such_database/,
    );
  });
});

async function countConnections(url: string, name: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [name]);
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}
