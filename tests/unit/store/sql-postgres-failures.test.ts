/**
 * The PostgreSQL store when the server misbehaves (adapted from the review's proofs): a session the
 * server ends while a unit holds it fails that unit without crashing the process, and a server that
 * stops answering makes the call fail after the bound instead of hanging; either way the broken
 * connection is destroyed, so the pool (of one, here) serves the next call.
 */
import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../src/store/migrate-postgres';
import { migrations } from '../../../src/store/migrations/index';
import { createPostgresPool } from '../../../src/store/sql/create-postgres-pool';
import { createPostgresStore } from '../../../src/store/sql/postgres-store';
import { createTestPostgresDatabase } from '../../helpers/stores';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
});

async function database() {
  const db = await createTestPostgresDatabase();
  closers.push(() => db.drop());
  return db;
}

/** Forwards to the cluster until frozen: then keeps the sockets open and forwards nothing (a silent partition). */
function freezingProxy(target: URL): Promise<{ port: number; freeze(): void; thaw(): void; close(): Promise<void> }> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (d) => void (!frozen && upstream.write(d)));
    upstream.on('data', (d) => void (!frozen && client.write(d)));
    for (const s of [client, upstream]) s.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        freeze: () => void (frozen = true),
        thaw: () => void (frozen = false),
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

describe('the PostgreSQL store when the server misbehaves', () => {
  it('fails a unit whose session the server ended, keeps the process alive, and serves the next call', async () => {
    const db = await database();
    const pool = createPostgresPool(db.url, { poolSize: 1, logger: { warn: () => undefined } });
    closers.push(() => pool.end());
    await migratePostgres(pool, migrations, 'test');
    const store = createPostgresStore(pool);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    closers.push(() => admin.end());

    const unit = store.transaction(async (tx) => {
      await tx.meetings.get('a');
      // The session is idle in this transaction; the server ends it (as a restart or a failover would).
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'kaltura-discord'",
      );
      for (let i = 0; i < 200; i++) {
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'kaltura-discord'");
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      return tx.meetings.get('b');
    });
    await expect(unit).rejects.toThrow();
    expect(await store.meetings.get('c')).toBeUndefined();
  });

  it('gives up on a statement whose answer never comes, and a new connection serves the next call', async () => {
    const db = await database();
    const proxy = await freezingProxy(new URL(db.url));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const pool = createPostgresPool(viaProxy.toString(), { poolSize: 1, logger: { warn: () => undefined }, queryTimeoutMs: 1_000 });
    closers.push(() => pool.end());
    closers.push(() => proxy.close()); // runs first: a frozen socket must end before the pool can
    await migratePostgres(pool, migrations, 'test');
    const store = createPostgresStore(pool);
    expect(await store.meetings.get('nope')).toBeUndefined();

    proxy.freeze();
    await expect(store.meetings.get('still-nope')).rejects.toThrow(/timeout/i);
    proxy.thaw();
    // The stuck client was destroyed, not returned: the pool's one slot connects afresh.
    expect(await store.meetings.get('after')).toBeUndefined();
  });
});
